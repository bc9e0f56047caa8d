using Duraflow.Engine.Workers;

namespace Duraflow.Api.Http;

/// <summary>
/// The outcome of a purge as JSON, as <c>POST /api/runs/purge</c> answers it and <c>duraflow runs purge --json</c>
/// prints it: one view, written with <see cref="ApiJson"/>.
/// </summary>
internal static class RunPurgeJson
{
    /// <summary>What a purge removed and kept.</summary>
    public static object Of(RunPurgeResult result, string? pipeline)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            result.EndedBefore,
            Pipeline = pipeline,
            DryRun = false,
            Matched = result.Purged + result.Kept,
            result.Purged,
            result.Kept,
            result.KeptBecause,
            result.More,
        };
    }

    /// <summary>What a purge would remove: <paramref name="matched"/> runs, none of them removed.</summary>
    public static object DryRun(DateTimeOffset endedBefore, string? pipeline, int matched) => new
    {
        EndedBefore = endedBefore,
        Pipeline = pipeline,
        DryRun = true,
        Matched = matched,
        Purged = 0,
        Kept = 0,
        KeptBecause = (string?)null,
        More = false,
    };
}
