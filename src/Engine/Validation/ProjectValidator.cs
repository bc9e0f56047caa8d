using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Validates what <c>duraflow validate PATH</c> names: a project folder, a pipeline folder or a pipeline.yaml. The
/// project's io_config.yaml and secrets.local.yaml are checked too (for a pipeline, those of the project it is in), and
/// every connection a pipeline names must exist in the selected profile. C# script blocks are compiled, so a script that
/// does not compile is reported before any run starts.
/// </summary>
internal static class ProjectValidator
{
    /// <summary>Validates <paramref name="path"/>.</summary>
    /// <param name="path">A project folder, a pipeline folder or a pipeline.yaml.</param>
    /// <param name="displayRoot">Files are named relative to this folder in diagnostics; default: the current directory.</param>
    /// <param name="profile">The io_config.yaml profile (<c>--profile</c>); null means <c>DURAFLOW_PROFILE</c>, else <c>default</c>.</param>
    /// <param name="scripts">
    /// Compiles the scripts; default: a compiler over the script cache folder of the project that holds
    /// <paramref name="path"/> (see <see cref="DuraflowProject.ScriptCacheDirectory"/>), or over none outside a project.
    /// Pass one compiler to every call that validates the same project repeatedly, so that it remembers what compiled.
    /// </param>
    /// <param name="classes">Where <c>class:</c> blocks are looked up (see <see cref="PipelineValidator"/>); null leaves them unchecked.</param>
    public static ProjectValidation Validate(string path, string? displayRoot = null, string? profile = null, ScriptCompiler? scripts = null, CompiledBlocks? classes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var diagnostics = new DiagnosticBag();
        DuraflowProject? project = null;
        IReadOnlyList<string> files;
        string? projectRoot;
        if (File.Exists(full))
        {
            files = [full];

            // A full path to an existing file always has a directory.
            projectRoot = DuraflowProject.FindRoot(Path.GetDirectoryName(full)!);
        }
        else if (File.Exists(Path.Combine(full, DuraflowProject.PipelineFileName)))
        {
            files = [Path.Combine(full, DuraflowProject.PipelineFileName)];
            projectRoot = DuraflowProject.FindRoot(full);
        }
        else if (Directory.Exists(full) && DuraflowProject.IsProjectFolder(full))
        {
            project = DuraflowProject.Open(full, displayRoot);
            diagnostics.AddRange(project.SettingsDiagnostics);
            files = project.PipelineFiles();
            projectRoot = full;
        }
        else
        {
            files = [];
            projectRoot = null;
        }

        if (files.Count == 0)
        {
            var what = Directory.Exists(full) || File.Exists(full) ? "holds no pipeline" : "does not exist";
            diagnostics.Error(DiagnosticCodes.NoPipelines, new SourceLocation(DisplayPaths.For(full, displayRoot), 0, 0), $"{what}; pass a project folder (with pipelines/NAME/pipeline.yaml), a pipeline folder or a pipeline.yaml, or create a project with 'duraflow init'");
            return new ProjectValidation([], diagnostics.Sorted());
        }

        scripts ??= new ScriptCompiler(ScriptCacheOf(project, files[0]));
        var pipelines = files.Select(f => PipelineValidator.Validate(f, DisplayPaths.For(f, displayRoot), scripts, classes)).ToList();
        ProjectSettings? settings = null;
        if (projectRoot is not null)
        {
            pipelines = CheckConnections(projectRoot, displayRoot, IoConfig.SelectProfile(profile), pipelines, diagnostics);
            settings = (project ?? DuraflowProject.Open(projectRoot, displayRoot)).Settings;
            pipelines = [.. pipelines.Select(p => PipelineFolderChecker.Check(LocalPathChecker.Check(p, projectRoot, settings.FileRoots), projectRoot))];
        }

        // Outside a project there is no duraflow.yaml, so no limit is defined.
        var limits = settings?.Limits ?? ProjectSettings.Default.Limits;
        pipelines = [.. pipelines.Select(p => LimitReferenceChecker.Check(p, limits))];
        pipelines = [.. pipelines.Select(p => ProjectAlerts.Apply(p, settings?.Alerts ?? []))];

        // The children are read from their files, once per validation, whichever pipelines this one validates.
        var children = new Dictionary<string, ValidatedPipeline?>(StringComparer.Ordinal);
        foreach (var validated in pipelines.Where(p => p.Definition is not null))
        {
            children.TryAdd(validated.Definition!.Name, validated);
        }

        pipelines = [.. pipelines.Select(p => ChildPipelineChecker.Check(p, projectRoot, children))];

        foreach (var pipeline in pipelines)
        {
            diagnostics.AddRange(pipeline.Diagnostics);
        }

        ReportDuplicateNames(pipelines, diagnostics);

        // Each pipeline with class blocks reports a failed build of blocks/; the project reports it once.
        return new ProjectValidation(pipelines, [.. diagnostics.Sorted().Distinct()]) { TimeZone = settings?.TimeZone };
    }

    // io_config.yaml and secrets.local.yaml belong to the project, so they are checked whatever part of it is validated.
    private static List<ValidatedPipeline> CheckConnections(
        string projectRoot, string? displayRoot, string profile, List<ValidatedPipeline> pipelines, DiagnosticBag diagnostics)
    {
        var config = IoConfig.Load(projectRoot, displayRoot);
        diagnostics.AddRange(config.Diagnostics);
        if (config.CheckProfile(profile) is { } unknownProfile)
        {
            diagnostics.AddRange([unknownProfile]);
        }

        var secretsFile = Path.Combine(projectRoot, LocalFileSecrets.FileName);
        LocalFileSecrets.Read(secretsFile, DisplayPaths.For(secretsFile, displayRoot), diagnostics);
        return [.. pipelines.Select(p => ConnectionReferenceChecker.Check(p, config, profile))];
    }

    // The project's own cache, which its runs load from; a pipeline outside any project is compiled in memory only.
    private static string? ScriptCacheOf(DuraflowProject? project, string pipelineFile)
    {
        if (project is null && DuraflowProject.FindRoot(Path.GetDirectoryName(pipelineFile) ?? pipelineFile) is { } root)
        {
            project = DuraflowProject.Open(root);
        }

        return project?.ScriptCacheDirectory;
    }

    private static void ReportDuplicateNames(List<ValidatedPipeline> pipelines, DiagnosticBag diagnostics)
    {
        var firstByName = new Dictionary<string, ValidatedPipeline>(StringComparer.Ordinal);
        foreach (var pipeline in pipelines.Where(p => p.Definition is not null))
        {
            var definition = pipeline.Definition!;
            if (!firstByName.TryAdd(definition.Name, pipeline))
            {
                diagnostics.Error(DiagnosticCodes.DuplicateName, definition.Location, $"pipeline name '{definition.Name}' is already used by {firstByName[definition.Name].DisplayPath}; pipeline names must be unique in a project");
            }
        }
    }
}
