using System.Text.Json;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>Starts a validated pipeline on a real engine and works it to its end, for tests of whole runs.</summary>
internal static class WholeRuns
{
    /// <summary>
    /// Runs <paramref name="validated"/> with <paramref name="parameters"/> (a JSON object; defaults for the rest) and
    /// returns the final state; a generous limit turns a hang into a failure.
    /// </summary>
    public static async Task<RunState> RunAsync(DuraflowEngine local, ValidatedPipeline validated, string parameters = "{}")
    {
        Assert.True(validated.IsValid, string.Join("\n", validated.Diagnostics));
        var given = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters)!
            .ToDictionary(p => p.Key, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal);
        var resolution = RunParameters.Resolve(validated.Definition!, given);
        Assert.Empty(resolution.Problems);
        var runId = (await local.Starter.StartAsync(new RunRequest(validated, resolution.Parameters!, RunTrigger.ByHand("test")))).RunId;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await local.RunUntilFinishedAsync(runId, null, limit.Token);
    }

    /// <summary>The stored output of <paramref name="block"/> in <paramref name="state"/>, as text.</summary>
    public static Task<string> OutputAsync(DuraflowEngine local, RunState state, string block) =>
        StoredOutputs.TextAsync(local.Committer.Artifacts, state.Block(block).Output!);
}
