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

    /// <summary>A blob-created event.</summary>
    public const string Blob = "blob";

    /// <summary>A run started by hand (<paramref name="kind"/> <see cref="Cli"/> or <see cref="Http"/>), which knows nothing more.</summary>
    public static RunTrigger ByHand(string kind) => new(kind, new Dictionary<string, JsonElement>(StringComparer.Ordinal));
}
