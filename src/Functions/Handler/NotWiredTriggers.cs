namespace Duraflow.Functions.Handler;

/// <summary>
/// The stand-ins registered until the schedule evaluator and the blob-event handler are wired in: they fail every
/// invocation loudly (500), so a deployment without them retries and shows why, instead of silently dropping ticks
/// and events.
/// </summary>
internal sealed class NotWiredTriggers : IScheduleTick, IBlobEventSink
{
    /// <inheritdoc/>
    public Task TickAsync(DateTimeOffset now, bool isPastDue, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"the {FunctionNames.Schedule} function is not wired to a schedule evaluator in this build");

    /// <inheritdoc/>
    public Task HandleAsync(string messageText, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"the {FunctionNames.BlobEvents} function is not wired to a blob-event handler in this build");
}
