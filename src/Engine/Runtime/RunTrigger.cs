using System.Text.Json;

namespace Duraflow.Engine.Runtime;

/// <summary>What starts a run: the kind of trigger, and what it knows, which blocks read as <c>{{ trigger.NAME }}</c>.</summary>
/// <param name="Kind">One of <see cref="Cli"/>, <see cref="Http"/>, <see cref="Schedule"/>, <see cref="Blob"/> (tests use their own).</param>
/// <param name="Values">The <c>trigger.*</c> values: a schedule's <c>scheduled_time</c>, a blob event's <c>blob</c>; empty for runs started by hand.</param>
internal sealed record RunTrigger(string Kind, IReadOnlyDictionary<string, JsonElement> Values)
{
    /// <summary><c>duraflow run</c>.</summary>
    public const string Cli = "cli";

    /// <summary><c>POST /api/pipelines/{name}/runs</c>.</summary>
    public const string Http = "http";

    /// <summary>A cron schedule's tick.</summary>
    public const string Schedule = "schedule";

    /// <summary>A backfill's run for a past tick of a schedule.</summary>
    public const string Backfill = "backfill";

    /// <summary>A blob-created event.</summary>
    public const string Blob = "blob";

    /// <summary>What started a child run: a block of another run.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>For a child run: the run and block that started it, whose block waits for it to end.</summary>
    public Runs.ParentRun? Parent { get; init; }

    /// <summary>For a scheduled run whose schedule has <c>start_sla</c>: when it should have started (its tick plus the SLA).</summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>A run started by hand (<paramref name="kind"/> <see cref="Cli"/> or <see cref="Http"/>), which knows nothing more.</summary>
    public static RunTrigger ByHand(string kind) => new(kind, new Dictionary<string, JsonElement>(StringComparer.Ordinal));

    /// <summary>A child run's trigger; its blocks read <c>{{ trigger.parent_run_id }}</c> and <c>{{ trigger.parent_block }}</c>.</summary>
    public static RunTrigger Child(Runs.ParentRun parent) => new(Pipeline, new Dictionary<string, JsonElement>(StringComparer.Ordinal)
    {
        ["parent_run_id"] = JsonSerializer.SerializeToElement(parent.RunId),
        ["parent_block"] = JsonSerializer.SerializeToElement(parent.Key),
    })
    {
        Parent = parent,
    };
}
