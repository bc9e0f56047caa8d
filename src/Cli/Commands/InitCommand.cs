using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow init [DIR]</c>: writes a small working project with one example pipeline.</summary>
internal static class InitCommand
{
    private const string ResourcePrefix = "scaffold/";

    public static Command Create(Terminal terminal)
    {
        var directory = new Argument<string>("DIR")
        {
            Description = "Where to create the project (default: the current folder)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("init", "Create a new project with an example pipeline") { directory };
        command.SetAction(result => Run(terminal, result.GetValue(directory)!));
        return command;
    }

    private static int Run(Terminal terminal, string directory)
    {
        var root = Path.GetFullPath(directory);
        if (DuraflowProject.IsProjectFolder(root))
        {
            terminal.Error($"{DisplayPaths.For(root)} already holds a Duraflow project (duraflow.yaml or pipelines/); nothing was changed");
            return ExitCodes.Failed;
        }

        var assembly = typeof(InitCommand).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        // Refuse before writing anything, so a half-written project never mixes with the user's files.
        var clashes = files.Select(f => Path.Combine(root, f[ResourcePrefix.Length..])).Where(File.Exists).ToList();
        if (clashes.Count > 0)
        {
            terminal.Error($"{string.Join(", ", clashes.Select(c => DisplayPaths.For(c)))} already exist; nothing was changed");
            return ExitCodes.Failed;
        }

        foreach (var name in files)
        {
            var target = Path.Combine(root, name[ResourcePrefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = assembly.GetManifestResourceStream(name)!;
            using var output = File.Create(target);
            source.CopyTo(output);
        }

        var shown = DisplayPaths.For(root);
        terminal.Markup($"[green]✓[/] created a Duraflow project in {Terminal.Escape(shown)}", $"created a Duraflow project in {shown}");
        terminal.Line($"next: duraflow validate {shown}   then: duraflow graph hello --project {shown}");
        return ExitCodes.Ok;
    }
}
