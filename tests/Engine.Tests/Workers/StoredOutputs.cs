using System.Text;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Reads a block's stored output the way users find it: inline in the run's state, or an artifact.</summary>
internal static class StoredOutputs
{
    public static async Task<string> TextAsync(IArtifactStore artifacts, string reference) =>
        OutputReference.TryGetInlineJson(reference, out var json)
            ? json
            : Encoding.UTF8.GetString(await artifacts.ReadAsync(reference, CancellationToken.None));
}
