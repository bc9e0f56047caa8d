using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Projects;

/// <summary>The outcome of validating a path: every pipeline found and every problem, project-wide ones included.</summary>
/// <param name="Pipelines">Each pipeline validated, in folder order.</param>
/// <param name="Diagnostics">All diagnostics: project settings, each pipeline's, and cross-pipeline ones.</param>
public sealed record ProjectValidation(IReadOnlyList<ValidatedPipeline> Pipelines, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when there is at least one pipeline and no error.</summary>
    public bool IsValid => Pipelines.Count > 0 && !Diagnostics.Any(d => d.IsError);
}

/// <summary>Validates what <c>duraflow validate PATH</c> names: a project folder, a pipeline folder or a pipeline.yaml.</summary>
public static class ProjectValidator
{
    /// <summary>Validates <paramref name="path"/>.</summary>
    /// <param name="path">A project folder, a pipeline folder or a pipeline.yaml.</param>
    /// <param name="displayRoot">Files are named relative to this folder in diagnostics; default: the current directory.</param>
    /// <param name="classes">Where <c>class:</c> blocks are looked up (see <see cref="PipelineValidator"/>); null leaves them unchecked.</param>
    public static ProjectValidation Validate(string path, string? displayRoot = null, CompiledBlocks? classes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var diagnostics = new DiagnosticBag();
        IReadOnlyList<string> files;
        if (File.Exists(full))
        {
            files = [full];
        }
        else if (File.Exists(Path.Combine(full, DuraflowProject.PipelineFileName)))
        {
            files = [Path.Combine(full, DuraflowProject.PipelineFileName)];
        }
        else if (Directory.Exists(full) && DuraflowProject.IsProjectFolder(full))
        {
            var project = DuraflowProject.Open(full, displayRoot);
            diagnostics.AddRange(project.SettingsDiagnostics);
            files = project.PipelineFiles();
        }
        else
        {
            files = [];
        }

        if (files.Count == 0)
        {
            var what = Directory.Exists(full) || File.Exists(full) ? "holds no pipeline" : "does not exist";
            diagnostics.Error(DiagnosticCodes.NoPipelines, new SourceLocation(DisplayPaths.For(full, displayRoot), 0, 0), $"{what}; pass a project folder (with pipelines/NAME/pipeline.yaml), a pipeline folder or a pipeline.yaml, or create a project with 'duraflow init'");
            return new ProjectValidation([], diagnostics.Sorted());
        }

        var pipelines = files.Select(f => PipelineValidator.Validate(f, DisplayPaths.For(f, displayRoot), classes)).ToList();
        foreach (var pipeline in pipelines)
        {
            diagnostics.AddRange(pipeline.Diagnostics);
        }

        ReportDuplicateNames(pipelines, diagnostics);

        // Each pipeline with class blocks reports a failed build of blocks/; the project reports it once.
        return new ProjectValidation(pipelines, [.. diagnostics.Sorted().Distinct()]);
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
