using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>Log lines of the blob storage blocks; event ids 4100-4199 of the Blocks range.</summary>
internal static partial class BlobLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Downloaded {Count} blob(s), {Bytes} bytes, from {Location}")]
    public static partial void Downloaded(ILogger logger, int count, long bytes, string location);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Uploaded {Bytes} bytes to {Location}")]
    public static partial void Uploaded(ILogger logger, long bytes, string location);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Waiting for {Location}: looking every {PollSeconds:0.###} s, for at most {TimeoutSeconds:0.###} s")]
    public static partial void SensorWaiting(ILogger logger, string location, double pollSeconds, double timeoutSeconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Found {Location} after {WaitedSeconds:0.###} s")]
    public static partial void SensorFound(ILogger logger, string location, double waitedSeconds);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "No {Location} yet; looking again in {DelaySeconds:0.###} s")]
    public static partial void SensorNotYet(ILogger logger, string location, double delaySeconds);
}
