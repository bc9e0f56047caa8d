using Duraflow.Api;
using Duraflow.Engine.Projects;
using Microsoft.Extensions.Configuration;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow serve --workspace NAME=FOLDER</c>: each option read and checked before the server starts, so a wrong
/// one is a usage error that names it, not a stack trace from the host. The server checks the same again
/// (<see cref="WorkspaceFolders"/>), since an appsettings.json can name workspaces too.
/// </summary>
internal static class ServedWorkspaces
{
    /// <summary>Each workspace's name and the full path of its folder, relative folders read from the current directory.</summary>
    /// <exception cref="UsageException">An option is not NAME=FOLDER, a name is not one, or a name is given twice.</exception>
    public static IReadOnlyList<(string Name, string Folder)> Parse(IReadOnlyList<string> options)
    {
        var served = new List<(string Name, string Folder)>();
        foreach (var option in options)
        {
            var split = option.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0 || split == option.Length - 1)
            {
                throw new UsageException($"--workspace {PrintableText.Of(option)}: write NAME=FOLDER, as in --workspace sales=./sales");
            }

            var name = option[..split];
            if (WorkspaceNames.Problem(name) is { } badName)
            {
                throw new UsageException($"--workspace {PrintableText.Of(option)}: {badName}");
            }

            if (name == ServedWorkspace.DefaultName)
            {
                throw new UsageException($"--workspace {PrintableText.Of(option)}: '{ServedWorkspace.DefaultName}' is the project served at /api (--project); choose another name");
            }

            if (served.Any(s => s.Name == name))
            {
                throw new UsageException($"--workspace {name} is given twice; give each workspace one folder");
            }

            served.Add((name, Path.GetFullPath(option[(split + 1)..])));
        }

        return served;
    }

    /// <summary>Checks the workspaces the server will read as the server does.</summary>
    /// <exception cref="UsageException">A workspace is wrong: each problem names its setting and the fix.</exception>
    public static void Check(IConfiguration configuration, DuraflowProject project)
    {
        var folders = WorkspaceFolders.Read(configuration, Directory.GetCurrentDirectory(), () => project);
        if (folders.Problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, folders.Problems.Select(p => p.Replace($"{WorkspaceFolders.Section}:", "--workspace ", StringComparison.Ordinal))));
        }
    }
}
