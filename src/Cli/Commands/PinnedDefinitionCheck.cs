using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;

namespace Duraflow.Cli.Commands;

/// <summary>
/// Tells whether a run's pipeline files changed since the run pinned them, for <c>runs show</c>: a run retried
/// without <c>--refresh</c> runs the pinned text, which surprises whoever just fixed a file.
/// </summary>
internal static class PinnedDefinitionCheck
{
    /// <summary>A line saying what changed and what to do, or null when the files are as the run pinned them.</summary>
    public static string? Describe(RunState state, RunPlan pinned, string? projectOption, string? profile)
    {
        string file;
        try
        {
            file = ProjectResolver.PipelineFile(state.Pipeline, projectOption);
        }
        catch (UsageException)
        {
            return $"pipeline {state.Pipeline} is no longer in the project; the run can only be retried as it was pinned";
        }

        // Scripts are not compiled for this look: a compile error would fail the refresh, which reports it then.
        var root = DuraflowProject.FindRoot(Path.GetDirectoryName(file)!);
        var validation = ProjectValidator.Validate(file, profile: profile, classes: root is null ? null : CompiledBlocks.ForProject(root));
        if (!validation.IsValid)
        {
            return $"the files of pipeline {state.Pipeline} changed since this run was pinned and do not validate now; `duraflow validate` shows why";
        }

        var current = RunPlanner.Plan(validation.Pipelines[0]);
        if (RunPlanner.Hash(current.ToJson()) == state.DefinitionHash)
        {
            return null;
        }

        var rerun = PlanChanges.Rerun(pinned, current);
        var what = rerun.Count == 0 ? "pipeline settings" : $"block{(rerun.Count == 1 ? "" : "s")} {string.Join(", ", rerun)}";
        return $"the files of pipeline {state.Pipeline} changed since this run was pinned ({what}); `duraflow runs retry {state.RunId} --refresh` runs on them";
    }
}
