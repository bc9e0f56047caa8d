namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>Settings of the local folder watcher.</summary>
internal sealed class FolderBlobEventsOptions
{
    /// <summary>
    /// How long a file's size and last-write time must stay unchanged (and the file be openable exclusively) before it
    /// counts as complete; default one second.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the folder is rescanned when the file system reports nothing, since notifications can be lost (buffer
    /// overflows, network and container mounts); default five seconds.
    /// </summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called when raising an event fails; the file is offered again on a later scan. Default: ignore.</summary>
    public Action<string, Exception>? OnError { get; init; }
}
