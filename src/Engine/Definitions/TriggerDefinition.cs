using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>Something that starts runs of a pipeline.</summary>
/// <param name="Location">Where the trigger is declared.</param>
internal abstract record TriggerDefinition(SourceLocation Location);

/// <summary>
/// Runs on a schedule in a time zone: a cron's occurrences, or every <see cref="ScheduleInterval.Every"/> of elapsed
/// time from an anchor (<see cref="Interval"/>).
/// </summary>
/// <param name="Cron">A 5-field cron expression (6 with seconds), or a macro such as <c>@daily</c>; null for an interval schedule.</param>
/// <param name="TimeZone">An IANA time zone id; null means the project's default time zone.</param>
/// <param name="CatchUp">What to do with ticks missed while nothing ran.</param>
/// <param name="Location">Where the trigger is declared.</param>
internal sealed record ScheduleTrigger(string? Cron, string? TimeZone, CatchUpPolicy CatchUp, SourceLocation Location)
    : TriggerDefinition(Location)
{
    /// <summary>How long after its tick a scheduled run should have started (<c>start_sla</c>); past it, <c>sla_missed</c>. Null for none.</summary>
    public TimeSpan? StartSla { get; init; }

    /// <summary>For an interval schedule (<c>every</c>), its interval and anchor; null for a cron schedule.</summary>
    public ScheduleInterval? Interval { get; init; }

    /// <summary>
    /// What the schedule's ticks are, as one text: the cron, or <c>every 15m from 2026-01-01T00:00:00</c>. Part of the
    /// name its mark is kept under, so editing it makes a new schedule.
    /// </summary>
    public string Text => Interval?.Text ?? Cron!;
}

/// <summary>An interval schedule: ticks at <see cref="Anchor"/> + k × <see cref="Every"/> (k = 0, 1, 2, …) in elapsed time.</summary>
/// <param name="Every">The interval, at least a second.</param>
/// <param name="Anchor">
/// The first tick as written: a local date and time read in the schedule's zone (<c>2026-01-01T00:00:00</c>), or one
/// with its own offset (<c>2026-01-01T00:00:00+01:00</c>).
/// </param>
internal sealed record ScheduleInterval(TimeSpan Every, string Anchor)
{
    /// <summary>The anchor when none is written: midnight of 1 January 2000 in the schedule's zone.</summary>
    public const string DefaultAnchor = "2000-01-01T00:00:00";

    /// <summary>The schedule as one text, <c>every 15m from 2026-01-01T00:00:00</c>.</summary>
    public string Text => $"every {Blocks.Text.Duration.Format(Every)} from {Anchor}";
}

/// <summary>Runs when a blob is created in a container, optionally filtered by name prefix and suffix.</summary>
/// <param name="Connection">The io_config connection of the storage account; null means the default one.</param>
/// <param name="Container">The container to watch.</param>
/// <param name="Prefix">Only blobs whose name starts with this.</param>
/// <param name="Suffix">Only blobs whose name ends with this.</param>
/// <param name="Location">Where the trigger is declared.</param>
internal sealed record BlobCreatedTrigger(string? Connection, string Container, string? Prefix, string? Suffix, SourceLocation Location)
    : TriggerDefinition(Location)
{
    /// <summary>Where <see cref="Connection"/> is written; null when the trigger names no connection.</summary>
    public DefinitionReference? ConnectionReference { get; init; }
}

/// <summary>Allows or forbids starting runs over the HTTP API (allowed when no http trigger is declared).</summary>
/// <param name="Enabled">Whether HTTP starts are allowed.</param>
/// <param name="Location">Where the trigger is declared.</param>
internal sealed record HttpTrigger(bool Enabled, SourceLocation Location) : TriggerDefinition(Location);
