using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Alerts;

/// <summary>What an alert says: the event, the run as it stood when the event was committed, and the alert's text.</summary>
/// <param name="Event">The event.</param>
/// <param name="Pipeline">The run's pipeline.</param>
/// <param name="RunId">The run.</param>
/// <param name="Status">The run's status then, in lower case (<c>running</c>, <c>failed</c> …).</param>
/// <param name="Trigger">What started the run.</param>
/// <param name="At">When the event happened.</param>
/// <param name="IdempotencyKey">One per run, event, block and attempt: the same on every delivery of this alert.</param>
internal sealed record AlertFacts(AlertEvent Event, string Pipeline, string RunId, string Status, string Trigger, DateTimeOffset At, string IdempotencyKey)
{
    /// <summary>The alert's own text (its <c>message</c>, rendered), or null for none.</summary>
    public string? Message { get; init; }

    /// <summary>For <c>retrying</c>: the block or item being retried.</summary>
    public string? Block { get; init; }

    /// <summary>For <c>retrying</c>: the attempt about to run.</summary>
    public int? Attempt { get; init; }

    /// <summary>When the run started, if it has.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run ended, if it has.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The blocks and items that failed, each with the first line of its error.</summary>
    public IReadOnlyList<(string Block, string Error)> FailedBlocks { get; init; } = [];

    /// <summary>The run's page in the dashboard, when a public base URL is configured.</summary>
    public Uri? Link { get; init; }

    /// <summary>How long the run took, or has taken so far, from its start (or its request, if it never started).</summary>
    public TimeSpan? Duration => StartedAt is { } started ? (EndedAt ?? At) - started : null;

    /// <summary>The event as <c>on:</c> names it.</summary>
    public string EventName => AlertEvents.Name(Event);

    /// <summary>One line for a title: "orders run failed".</summary>
    public string Title => Event switch
    {
        AlertEvent.Retrying => $"{Pipeline}: {Block} is retried (attempt {Attempt})",
        AlertEvent.SlaMissed => $"{Pipeline} run is late (SLA missed)",
        _ => $"{Pipeline} run {EventName}",
    };
}
