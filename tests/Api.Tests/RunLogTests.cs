using Duraflow.Engine.Runs;
using Duraflow.Api.Tests.Http;

namespace Duraflow.Api.Tests;

/// <summary>The served app says when each run starts and ends, whoever works on it.</summary>
public sealed class RunLogTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly ApiTestProject _project;

    public RunLogTests() => _project = new ApiTestProject(_logs);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task ARun_IsLoggedWhenItStartsAndWhenItSucceeds_WithPipelineTriggerAndDuration()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 2 } });

        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(runId)).Status);

        var lines = RunLines(runId);
        Assert.Contains(lines, l => l.StartsWith($"Information Duraflow.Api.RunLog: Run {runId} of hello started (http)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Information Duraflow.Api.RunLog: Run {runId} of hello succeeded in ", StringComparison.Ordinal) && l.Contains(" s (http)", StringComparison.Ordinal));
        Assert.True(
            lines.FindIndex(l => l.Contains("started", StringComparison.Ordinal)) < lines.FindIndex(l => l.Contains("succeeded", StringComparison.Ordinal)),
            string.Join("\n", lines));
    }

    [Fact]
    public async Task AFailedRun_IsAWarningWithTheErrorLine_AndItsRetryIsLoggedAsAnotherRound()
    {
        var runId = await _project.StartAsync("gate");
        Assert.Equal(RunStatus.Failed, (await _project.FinishAsync(runId)).Status);
        File.WriteAllText(_project.GateFile, "open");
        await _project.PostAsync($"/api/runs/{runId}/retry");
        Assert.Equal(RunStatus.Succeeded, (await _project.FinishAsync(runId)).Status);

        var lines = RunLines(runId);
        var failed = Assert.Single(lines, l => l.Contains(" failed in ", StringComparison.Ordinal));
        Assert.StartsWith($"Warning Duraflow.Api.RunLog: Run {runId} of gate failed in ", failed, StringComparison.Ordinal);
        Assert.Contains("the gate is shut", failed, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($"Run {runId} of gate started again, retry round 1 (http)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"Run {runId} of gate succeeded in ", StringComparison.Ordinal));
    }

    // The run's lines, message only (CapturedLogs appends the structured values after the message).
    private List<string> RunLines(string runId) =>
        [.. _logs.Lines.Where(l => l.Contains("Duraflow.Api.RunLog", StringComparison.Ordinal) && l.Contains($"Run {runId} ", StringComparison.Ordinal))];
}
