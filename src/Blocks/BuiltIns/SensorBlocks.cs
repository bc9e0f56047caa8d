using System.Diagnostics;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Text;

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
        new("sensor.sql", "Wait until a SQL query in a database connection returns true (or a non-zero, non-empty value)",
            [
                new("connection", ConfigKind.Text, "io_config connection: postgres, sqlserver or sqlite", Required: true),
                new("query", ConfigKind.Text, "A query whose first column of its first row says whether to go on; templates are bound as parameters", Required: true),
                new("timeout", ConfigKind.Duration, "How long to wait before failing, without retries", Default: "1h"),
                new("poll", ConfigKind.Duration, "How long to wait between looks", Default: "30s"),
            ],
            WaitForQueryAsync),
    ];

    private static async Task<BlockValue> WaitForQueryAsync(BlockSettings settings, BlockContext context)
    {
        var connection = await context.Connections.GetAsync(settings.RequiredText("connection"), context.CancellationToken).ConfigureAwait(false);
        var dialect = Sql.SqlDialect.For(connection);
        var bound = Sql.SqlTemplate.Bind(settings.Template("query")!, settings.Values, context.ParameterTypes,
            name => throw new NonRetryableBlockException($"block {context.Block} (sensor.sql): the query cannot read block outputs ({{{{ blocks.{name} }}}}); it runs in {connection.Name}"),
            dialect.Placeholder);
        return await WaitAsync(settings, context, "sensor.sql", $"{connection.Name}: {bound.Text}", async token =>
        {
            try
            {
                await using var db = await dialect.OpenAsync(connection, context.ProjectRoot, token).ConfigureAwait(false);
                await using var command = db.CreateCommand();
                command.CommandText = bound.Text;
                Sql.DatabaseSqlBlock.Bind(command, bound.Parameters);
                var value = await command.ExecuteScalarAsync(token).ConfigureAwait(false);
                return IsTrue(value) ? BlockJson.ToElement(new { value, connection = connection.Name, foundAt = DateTimeOffset.UtcNow }) : null;
            }
            catch (System.Data.Common.DbException e) when (!e.IsTransient && !token.IsCancellationRequested)
            {
                throw new NonRetryableBlockException($"block {context.Block} (sensor.sql) in {connection.Name}: {e.Message}", e);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>What counts as "go on": true, a non-zero number, a non-empty string; null and no row do not.</summary>
    private static bool IsTrue(object? value) => value switch
    {
        null or DBNull => false,
        bool flag => flag,
        string text => text.Length > 0 && !string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) && text != "0",
        IConvertible number => number.ToDecimal(System.Globalization.CultureInfo.InvariantCulture) != 0,
        _ => true,
    };

    /// <summary>Looks with <paramref name="find"/> every poll until it finds something or the timeout passes.</summary>
    private static async Task<BlockValue> WaitAsync(
        BlockSettings settings, BlockContext context, string sensor, string display, Func<CancellationToken, Task<System.Text.Json.JsonElement?>> find)
    {
        var timeout = settings.Duration("timeout") ?? throw new InvalidOperationException($"{sensor}'s schema gives timeout a default");
        var poll = settings.Duration("poll") ?? throw new InvalidOperationException($"{sensor}'s schema gives poll a default");
        BlobLog.SensorWaiting(context.Logger, display, poll.TotalSeconds, timeout.TotalSeconds);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await find(context.CancellationToken).ConfigureAwait(false) is { } found)
            {
                BlobLog.SensorFound(context.Logger, display, waited.Elapsed.TotalSeconds);
                return BlockValue.Of(found);
            }

            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new NonRetryableBlockException(
                    $"block {context.Block} ({sensor}): waited {Duration.Format(timeout)} for {display}, which did not appear; raise with.timeout, or check the path or query");
            }

            // The block's CancellationToken fires on cancel, on the block's timeout and when the worker stops.
            var delay = left < poll ? left : poll;
            BlobLog.SensorNotYet(context.Logger, display, delay.TotalSeconds);
            await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<BlockValue> WaitForBlobAsync(BlockSettings settings, BlockContext context)
    {
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

        return await WaitAsync(settings, context, "sensor.blob", display, async token =>
            await find(token).ConfigureAwait(false) is { } found
                ? blob is null
                    ? BlockJson.ToElement(new { path = found, foundAt = DateTimeOffset.UtcNow })
                    : BlockJson.ToElement(new { path = found, connection = blob.Connection, foundAt = DateTimeOffset.UtcNow })
                : null).ConfigureAwait(false);
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
            ? Directory.EnumerateFiles(folder, name)
                .Where(f => LocalPaths.Outside(f, file.Roots) is null) // a link out of the project is not a file that arrived
                .Select(Path.GetFileName).Where(n => n is [not '.', ..]).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        return match is null ? null : file.Display[..(file.Display.LastIndexOfAny(['/', '\\']) + 1)] + match;
    }
}
