using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Storage;

/// <summary>How the delivery of one alert stands.</summary>
internal enum AlertDeliveryStatus
{
    /// <summary>Tried at least once and to be tried again.</summary>
    Retrying,

    /// <summary>The receiver took it.</summary>
    Delivered,

    /// <summary>Given up: a refusal that would not change, or the last attempt failed.</summary>
    Failed,
}

/// <summary>One alert's delivery, as the run shows it (<c>runs show</c>, the API, the dashboard).</summary>
/// <param name="Key">The delivery's key (and its receiver's idempotency key).</param>
/// <param name="Event">The event it was sent for.</param>
/// <param name="Destination">Where it went.</param>
/// <param name="Block">For <c>retrying</c>: the block retried.</param>
/// <param name="Status">How it stands.</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="Detail">What the last attempt got: <c>HTTP 200</c>, <c>HTTP 500: …</c>, <c>no answer within 10 s</c>.</param>
/// <param name="At">When the last attempt ended.</param>
internal sealed record AlertRecord(
    string Key, AlertEvent Event, AlertDestination Destination, string? Block, AlertDeliveryStatus Status, int Attempts, string Detail, DateTimeOffset At)
{
    /// <summary>The status as the API, metrics and logs name it: <c>retrying</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();
}

/// <summary>Where the deliveries of a run's alerts are recorded: beside the run, purged with it.</summary>
internal interface IAlertRecords
{
    /// <summary>Records <paramref name="record"/>, in place of what was recorded under its key before.</summary>
    Task RecordAlertAsync(string runId, AlertRecord record, CancellationToken cancellationToken);

    /// <summary>What is recorded under <paramref name="key"/>, or null: one read, however many alerts the run has.</summary>
    Task<AlertRecord?> GetAlertAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>The run's alert deliveries, in the order they were first recorded.</summary>
    Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(string runId, CancellationToken cancellationToken);
}
