using System.Text;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Stores a successful attempt's output where <see cref="BlockInputs"/> reads it back: a table as one Parquet file of
/// its own in the artifact store; JSON inline in the run's events and snapshot when it is small (see
/// <see cref="OutputReference"/>), which saves an artifact write here and a read in every reader, else as a JSON
/// artifact. Secret values the run read are masked in all three.
/// </summary>
internal static class BlockOutputs
{
    /// <summary>Stores <paramref name="output"/> and returns its reference: an artifact key or the inline JSON.</summary>
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

        var json = (redactor?.Redact(output.Json) ?? output.Json).GetRawText();
        if (OutputReference.FitsInline(json))
        {
            return OutputReference.Inline(json);
        }

        await artifacts.WriteAsync(key + ".json", Encoding.UTF8.GetBytes(json), CancellationToken.None).ConfigureAwait(false);
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
