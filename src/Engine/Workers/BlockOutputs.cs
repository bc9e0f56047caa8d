using System.Text;
using Duraflow.Blocks.Data;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Stores a successful attempt's output in the artifact store, where <see cref="BlockInputs"/> reads it back: a table
/// as one Parquet file of its own, anything else as JSON. Secret values the run read are masked in both.
/// </summary>
internal static class BlockOutputs
{
    /// <summary>Stores <paramref name="output"/> and returns its artifact key.</summary>
    public static async Task<string> StoreAsync(
        IArtifactStore artifacts, string runId, string instanceKey, int attempt, BlockValue output, SecretRedactor? redactor)
    {
        // Not cancellable: the outcome is already paid for, and its commit must find the output stored.
        var key = $"runs/{runId}/{instanceKey}/attempt-{attempt}";
        if (output.Table is { } table)
        {
            var stored = redactor is { Count: > 0 } ? table.WithTextReplaced(redactor.Values, SecretRedactor.Mask, ScratchFile(artifacts, runId)) : table;
            await artifacts.WriteFileAsync(key + BlockInputs.TableSuffix, OwnFile(artifacts, stored, runId), CancellationToken.None).ConfigureAwait(false);
            return key + BlockInputs.TableSuffix;
        }

        var json = redactor?.Redact(output.Json) ?? output.Json;
        await artifacts.WriteAsync(key + ".json", Encoding.UTF8.GetBytes(json.GetRawText()), CancellationToken.None).ConfigureAwait(false);
        return key + ".json";
    }

    /// <summary>
    /// The one Parquet file to store for a table. A block that passes an input table on unchanged, or returns a table
    /// over several files, gets a copy of its own, so outputs never share files.
    /// </summary>
    private static string OwnFile(IArtifactStore artifacts, Table table, string runId)
    {
        var scratch = Path.GetFullPath(artifacts.ScratchDirectory) + Path.DirectorySeparatorChar;
        if (table.Files is [var only] && Path.GetFullPath(only).StartsWith(scratch, StringComparison.Ordinal))
        {
            return only;
        }

        var copy = ScratchFile(artifacts, runId);
        table.SaveAs(copy);
        return copy;
    }

    private static string ScratchFile(IArtifactStore artifacts, string runId)
    {
        Directory.CreateDirectory(artifacts.ScratchDirectory);
        return Path.Combine(Path.GetFullPath(artifacts.ScratchDirectory), $"{runId}-{Guid.NewGuid():N}{BlockInputs.TableSuffix}");
    }
}
