using Duraflow.Blocks;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Reports, before any run, the file blocks whose literal <c>with.path</c> leads outside the project folder and the
/// folders of <c>files.roots</c>: an absolute path, a '..' or a symbolic link. Templated paths are checked by the
/// block when it runs, with the same rule (<see cref="LocalPaths"/>).
/// </summary>
internal static class LocalPathChecker
{
    /// <summary>The pipeline with a located DF028 added for each escaping path.</summary>
    public static ValidatedPipeline Check(ValidatedPipeline pipeline, string projectRoot, IReadOnlyList<string> fileRoots)
    {
        if (pipeline.Definition is not { } definition)
        {
            return pipeline;
        }

        var diagnostics = new DiagnosticBag();
        IReadOnlyList<string> roots = [projectRoot, .. fileRoots];
        foreach (var block in definition.Blocks)
        {
            if (block.LocalPath is not { } path)
            {
                continue;
            }

            var full = Path.GetFullPath(path.Name, projectRoot);
            if (LocalPaths.Outside(full, roots) is { } real)
            {
                diagnostics.Error(DiagnosticCodes.PathOutsideProject, path.Location,
                    $"block '{block.Name}': with.path '{path.Name}' leads to {real}, outside the project folder{(fileRoots.Count > 0 ? " and the folders of files.roots" : "")}; "
                    + "use a path inside the project, or add the folder to files.roots in duraflow.yaml");
            }
        }

        if (diagnostics.Items.Count == 0)
        {
            return pipeline;
        }

        diagnostics.AddRange(pipeline.Diagnostics);
        return pipeline with { Diagnostics = diagnostics.Sorted() };
    }
}
