using Duraflow.Blocks.Text;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>A backfill as the API returns it and <c>duraflow backfill … --json</c> and <c>backfills … --json</c> print it.</summary>
internal static class BackfillJson
{
    /// <summary>The backfill; the values of its secret parameters are shown as <c>***</c>.</summary>
    public static object Of(Backfill backfill)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return new
        {
            backfill.Id,
            backfill.Pipeline,
            backfill.Schedule,
            backfill.Cron,
            Every = backfill.Every is { } every ? Duration.Format(every) : null,
            backfill.Anchor,
            Timezone = backfill.TimeZone,
            backfill.From,
            backfill.To,
            Parameters = backfill.Parameters.ToDictionary(
                p => p.Key, p => backfill.SecretParameters.Contains(p.Key) ? (object)"***" : p.Value, StringComparer.Ordinal),
            backfill.Concurrency,
            Status = backfill.Status.ToString().ToLowerInvariant(),
            Ticks = backfill.Total,
            backfill.Started,
            Ended = backfill.Done,
            InProgress = backfill.Started - backfill.Done,
            backfill.Succeeded,
            backfill.Failed,
            Cancelled = backfill.CancelledRuns,
            AlreadyStarted = backfill.Existing,
            backfill.CreatedAt,
            backfill.CreatedBy,
            backfill.EndedAt,
        };
    }

    public static object List(IEnumerable<Backfill> backfills) => new { Items = backfills.Select(Of) };
}
