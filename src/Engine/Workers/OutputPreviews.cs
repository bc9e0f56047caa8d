using System.Text;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Reads a block's stored output for a preview (<see cref="OutputPreview"/>): a JSON output whole up to
/// <see cref="MaxJsonBytes"/>, a table's columns, row count and first rows. JSON outputs had the run's secrets masked
/// when they were stored; a preview reads them as stored.
/// </summary>
internal static class OutputPreviews
{
    /// <summary>The largest JSON output shown whole.</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    /// <summary>How much of a larger JSON output's text is shown.</summary>
    public const int HeadBytes = 64 * 1024;

    /// <summary>The most rows of a table a preview shows.</summary>
    public const int MaxRows = 1000;

    /// <summary>The preview of the output <paramref name="reference"/> (<see cref="BlockRunState.Output"/>), with at most <paramref name="rows"/> table rows.</summary>
    /// <exception cref="FileNotFoundException">The output's artifact is gone (its run was purged meanwhile).</exception>
    public static async Task<OutputPreview> ReadAsync(IArtifactStore artifacts, string reference, int rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        if (OutputReference.TryGetInlineJson(reference, out var inline))
        {
            return Json(Encoding.UTF8.GetBytes(inline));
        }

        if (reference.EndsWith(BlockInputs.TableSuffix, StringComparison.Ordinal))
        {
            var table = new Table(await artifacts.GetLocalPathAsync(reference, cancellationToken).ConfigureAwait(false));
            return new TableOutputPreview(table.CountRows(), table.Columns, table.FirstRowsToJson(rows, cancellationToken));
        }

        return Json(await artifacts.ReadAsync(reference, cancellationToken).ConfigureAwait(false));
    }

    private static JsonOutputPreview Json(byte[] bytes)
    {
        if (bytes.Length > MaxJsonBytes)
        {
            // Cut on a character boundary: the decoder drops a split last character rather than inventing one.
            var head = Encoding.UTF8.GetString(bytes, 0, HeadBytes).TrimEnd('\uFFFD');
            return new JsonOutputPreview(bytes.Length, null, head);
        }

        using var document = JsonDocument.Parse(bytes);
        return new JsonOutputPreview(bytes.Length, document.RootElement.Clone(), null);
    }
}
