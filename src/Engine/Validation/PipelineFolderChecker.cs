using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Reports a project pipeline whose <c>name:</c> differs from its folder under <c>pipelines/</c>: commands, the API
/// and the plan's file paths find a pipeline by its folder, so a second name would validate and then fail elsewhere.
/// </summary>
internal static class PipelineFolderChecker
{
    /// <summary>The pipeline with a located DF004 added when its name is not its folder's.</summary>
    public static ValidatedPipeline Check(ValidatedPipeline pipeline, string projectRoot)
    {
        if (pipeline.Definition is not { } definition)
        {
            return pipeline;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(definition.SourceFile))!;
        var pipelinesFolder = Path.GetFullPath(Path.Combine(projectRoot, "pipelines"));
        var folderName = Path.GetFileName(folder);
        if (!string.Equals(Path.GetDirectoryName(folder), pipelinesFolder, StringComparison.Ordinal)
            || string.Equals(folderName, definition.Name, StringComparison.Ordinal))
        {
            return pipeline;
        }

        var diagnostics = new DiagnosticBag();
        diagnostics.Error(DiagnosticCodes.BadName, definition.Location,
            $"pipeline name '{definition.Name}' differs from its folder pipelines/{folderName}; commands and the API find a pipeline by its folder, "
            + $"so write name: {folderName} or rename the folder to pipelines/{definition.Name}");
        diagnostics.AddRange(pipeline.Diagnostics);
        return pipeline with { Diagnostics = diagnostics.Sorted() };
    }
}
