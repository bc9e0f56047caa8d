using System.Diagnostics;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Data;
using Duraflow.Blocks.Execution;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// Sensors: blocks that wait for something outside the pipeline to happen, looking again every <c>poll</c>, and
/// fail without retries once <c>timeout</c> has passed.
/// </summary>
internal static class SensorBlocks
{
    public static IEnumerable<BuiltInBlock> All =>
    [
        new("sensor.blob", "Wait until a blob (or, without a connection, a local file) exists",
            [
                new("path", ConfigKind.Text, "Blob to wait for, CONTAINER/PATH (a file relative to the project without a connection); templates and wildcards (*.csv) allowed", Required: true),
                BlobLocation.Setting,
                new("timeout", ConfigKind.Duration, "How long to wait before failing, without retries", Default: "1h"),
                new("poll", ConfigKind.Duration, "How long to wait between looks", Default: "30s"),
            ],
            WaitForBlobAsync),
    ];

    private static async Task<BlockValue> WaitForBlobAsync(BlockSettings settings, BlockContext context)
    {
        var timeout = settings.Duration("timeout") ?? throw new InvalidOperationException("sensor.blob's schema gives timeout a default");
        var poll = settings.Duration("poll") ?? throw new InvalidOperationException("sensor.blob's schema gives poll a default");
        var blob = await BlobLocation.FromAsync(settings, context, wildcards: true).ConfigureAwait(false);
        Func<CancellationToken, Task<string?>> find;
        string display;
        if (blob is not null)
        {
            await blob.RequireContainerAsync(context.CancellationToken).ConfigureAwait(false);
            find = async token => await blob.FindAsync(token).ConfigureAwait(false) is { } name ? $"{blob.Container}/{name}" : null;
            display = blob.Display;
        }
        else
        {
            var file = FileLocation.From(settings, context);
            if ((Path.GetDirectoryName(file.Path) ?? "").AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block} (sensor.blob): with.path '{file.Display}': for a local file, wildcards may stand in the file name only");
            }

            find = _ => Task.FromResult(FindFile(file));
            display = file.Display;
        }

        BlobLog.SensorWaiting(context.Logger, display, poll.TotalSeconds, timeout.TotalSeconds);

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await find(context.CancellationToken).ConfigureAwait(false) is { } found)
            {
                BlobLog.SensorFound(context.Logger, blob is null ? found : $"{blob.Connection}:{found}", waited.Elapsed.TotalSeconds);
                return BlockValue.Of(blob is null
                    ? BlockJson.ToElement(new { path = found, foundAt = DateTimeOffset.UtcNow })
                    : BlockJson.ToElement(new { path = found, connection = blob.Connection, foundAt = DateTimeOffset.UtcNow }));
            }

            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block} (sensor.blob): waited {Duration.Format(timeout)} for {display}, which did not appear; raise with.timeout or check the path");
            }

            // The block's CancellationToken fires on cancel, on the block's timeout and when the worker stops.
            var delay = left < poll ? left : poll;
            BlobLog.SensorNotYet(context.Logger, display, delay.TotalSeconds);
            await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The file, or one file matching a wildcard in the file name, as the path is written; null when none exists.</summary>
    private static string? FindFile(FileLocation file)
    {
        var name = Path.GetFileName(file.Path);
        if (name.AsSpan().IndexOfAny('*', '?') < 0)
        {
            return File.Exists(file.Path) ? file.Display : null;
        }

        var folder = Path.GetDirectoryName(file.Path) ?? "";
        // Names starting with a dot are skipped: file blocks write '.NAME.tmp' beside the target and rename it when whole.
        var match = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, name).Select(Path.GetFileName).Where(n => n is [not '.', ..]).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        return match is null ? null : file.Display[..(file.Display.LastIndexOfAny(['/', '\\']) + 1)] + match;
    }
}
