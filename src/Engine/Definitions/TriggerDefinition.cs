using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>Something that starts runs of a pipeline.</summary>
/// <param name="Location">Where the trigger is declared.</param>
internal abstract record TriggerDefinition(SourceLocation Location);

/// <summary>Runs on a cron schedule in a time zone.</summary>
/// <param name="Cron">A 5-field cron expression (6 with seconds), or a macro such as <c>@daily</c>.</param>
/// <param name="TimeZone">An IANA time zone id; null means the project's default time zone.</param>
/// <param name="CatchUp">What to do with ticks missed while nothing ran.</param>
/// <param name="Location">Where the trigger is declared.</param>
internal sealed record ScheduleTrigger(string Cron, string? TimeZone, CatchUpPolicy CatchUp, SourceLocation Location)
    : TriggerDefinition(Location)
{
    /// <summary>How long after its tick a scheduled run should have started (<c>start_sla</c>); past it, <c>sla_missed</c>. Null for none.</summary>
    public TimeSpan? StartSla { get; init; }
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
