namespace Duraflow.Api.Triggers;

/// <summary>Local-mode triggers (configuration section <c>Duraflow</c>, e.g. <c>Duraflow__WatchFolder</c>).</summary>
internal sealed class LocalTriggerOptions
{
    public const string Section = "Duraflow";

    /// <summary>
    /// A folder whose files raise blob-created events as if uploaded to Blob Storage: <c>FOLDER/CONTAINER/PATH</c>.
    /// Relative to the project; unset means no watcher.
    /// </summary>
    public string? WatchFolder { get; set; }

    /// <summary>Whether the server ticks schedules itself; true unless run under the Functions host, whose timer does.</summary>
    public bool Schedules { get; set; } = true;
}
