using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Validation;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow validate [PATH]</c>: checks definitions and reports every problem with its location.</summary>
internal static class ValidateCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile)
    {
        var path = new Argument<string?>("PATH")
        {
            Description = "A project folder, a pipeline folder or a pipeline.yaml (default: the project)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("validate", "Check pipeline definitions and the project's duraflow.yaml and io_config.yaml; exit 0 when valid, 1 when not") { path };
        command.SetAction(result => Run(terminal, result.GetValue(path), result.GetValue(project), result.GetValue(profile)));
        return command;
    }

    private static int Run(Terminal terminal, string? path, string? projectOption, string? profile)
    {
        if (path is not null && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException(path.StartsWith('-') ? $"unknown option '{path}' for validate" : $"'{path}' does not exist");
        }

        var target = path ?? ProjectResolver.Resolve(projectOption).Root;
        var validation = ProjectValidator.Validate(target, profile: profile, classes: ProjectResolver.CompiledBlocksFor(target, terminal));
        if (!DiagnosticSummary.Print(terminal, validation.Diagnostics))
        {
            return ExitCodes.Failed;
        }

        var names = string.Join(", ", validation.Pipelines.Select(p => p.Definition!.Name));
        var blocks = validation.Pipelines.Sum(p => p.Definition!.Blocks.Count);
        var text = $"{DiagnosticSummary.Plural(validation.Pipelines.Count, "pipeline")} valid ({DiagnosticSummary.Plural(blocks, "block")}): {names}";
        terminal.Markup($"[green]✓[/] {Terminal.Escape(text)}", text);
        return ExitCodes.Ok;
    }
}
