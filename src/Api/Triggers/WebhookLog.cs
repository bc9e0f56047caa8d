namespace Duraflow.Api.Triggers;

/// <summary>What the blob-event webhook logs: a delivery whose runs could not be started, with its exception.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(5305, LogLevel.Error, "{Count} blob event(s) could not start their runs; Event Grid delivers them again: {Reason}")]
    public static partial void DispatchFailed(ILogger logger, int count, string reason, Exception exception);
}
