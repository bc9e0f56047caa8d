using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;

namespace Duraflow.Cli.Commands;

/// <summary>Finds the project a command works on, and pipelines in it by name or path.</summary>
internal static class ProjectResolver
{
    /// <summary>The values of <c>--store</c>, in the order of <see cref="StoreKind"/>.</summary>
    public static readonly string[] StoreNames = ["sqlite", "azure"];

    /// <summary>The engine of the project the command's <c>--project</c>, <c>--store</c> and <c>--profile</c> name.</summary>
    public static async Task<DuraflowEngine> OpenEngineAsync(Option<string?> project, Option<string?> profile, Option<string?> store, ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return await DuraflowEngine.OpenAsync(Resolve(result.GetValue(project), result.GetValue(store)), profile: result.GetValue(profile)).ConfigureAwait(false);
    }

    /// <summary>
    /// The project named by --project, or the nearest one at or above the current folder, with its runs in the store
    /// --store names when given (<paramref name="storeOption"/>), else the one duraflow.yaml names.
    /// </summary>
    public static DuraflowProject Resolve(string? projectOption, string? storeOption = null)
    {
        if (projectOption is not null)
        {
            if (!Directory.Exists(projectOption))
            {
                throw new UsageException($"--project '{projectOption}' does not exist");
            }

            return WithStore(DuraflowProject.Open(projectOption), storeOption);
        }

        var root = DuraflowProject.FindRoot(Environment.CurrentDirectory)
            ?? throw new UsageException("no Duraflow project here: no duraflow.yaml or pipelines/ folder in this folder or above it; pass --project DIR or run 'duraflow init'");
        return WithStore(DuraflowProject.Open(root), storeOption);
    }

    /// <summary>The project a pipeline file belongs to: --project if given, else the project folder above the file; with --store applied.</summary>
    public static DuraflowProject ProjectOf(string pipelineFile, string? projectOption, string? storeOption = null) =>
        projectOption is not null
            ? Resolve(projectOption, storeOption)
            : WithStore(DuraflowProject.Open(DuraflowProject.FindRoot(Path.GetDirectoryName(pipelineFile)!) ?? Path.GetDirectoryName(pipelineFile)!), storeOption);

    /// <summary>
    /// The pipeline.yaml for <paramref name="pipeline"/>: a path to a pipeline.yaml or its folder, or the name of a
    /// pipeline of the project.
    /// </summary>
    public static string PipelineFile(string pipeline, string? projectOption)
    {
        // Names cannot hold separators or dots, so anything that does is a path, whatever --project says.
        if (File.Exists(pipeline) && !Directory.Exists(pipeline))
        {
            return Path.GetFullPath(pipeline);
        }

        if (File.Exists(Path.Combine(pipeline, DuraflowProject.PipelineFileName)) && (projectOption is null || pipeline.IndexOfAny(['/', '\\', '.']) >= 0))
        {
            return Path.GetFullPath(Path.Combine(pipeline, DuraflowProject.PipelineFileName));
        }

        var project = Resolve(projectOption);
        if (project.PipelineFile(pipeline) is { } file)
        {
            return file;
        }

        var known = project.PipelineFiles().Select(f => Path.GetFileName(Path.GetDirectoryName(f))).ToList();
        var hint = Blocks.Text.EditDistance.DidYouMean(pipeline, known!);
        var list = known.Count == 0 ? "the project has no pipelines" : $"pipelines are {string.Join(", ", known)}";
        throw new UsageException($"no pipeline '{pipeline}' in {DisplayPaths.For(project.Root)}; {hint}{list}");
    }

    /// <summary>
    /// The compiled blocks of the project holding <paramref name="path"/> (a project or pipeline folder, or a
    /// pipeline.yaml); built from its blocks/ folder only when a class block is looked up, telling
    /// <paramref name="terminal"/> when a build starts.
    /// </summary>
    public static CompiledBlocks CompiledBlocksFor(string path, Terminal terminal)
    {
        var full = Path.GetFullPath(path);
        var directory = File.Exists(full) ? Path.GetDirectoryName(full)! : full;
        return CompiledBlocks.ForProject(DuraflowProject.FindRoot(directory) ?? directory, building: terminal.Hint);
    }

    // The parser accepts only StoreNames, so any value here is one of them.
    private static DuraflowProject WithStore(DuraflowProject project, string? storeOption) =>
        storeOption is null ? project : project.WithStore((StoreKind)Array.IndexOf(StoreNames, storeOption));
}
