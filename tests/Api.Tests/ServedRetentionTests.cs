using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Tests;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Api.Tests;

/// <summary>The app applies duraflow.yaml's <c>retention:</c> in the background, from the moment it starts.</summary>
public sealed class ServedRetentionTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ServedRetentionTests()
    {
        _project.Write("duraflow.yaml", "retention:\n  runs: 1h\n");
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/p/blocks/a.csx", "return 41 + 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task At_start_the_app_purges_finished_runs_older_than_the_retention_and_keeps_newer_ones()
    {
        var old = await FinishRunAsync(new Behind(TimeSpan.FromHours(2)));
        var recent = await FinishRunAsync(TimeProvider.System);

        using var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
        });
        using var client = factory.CreateClient();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        List<string?> listed;
        do
        {
            await Task.Delay(100, limit.Token);
            var page = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/runs", UriKind.Relative), limit.Token));
            listed = [.. page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("run_id").GetString())];
        }
        while (listed.Contains(old));

        Assert.Equal([recent], listed);
    }

    // A run of p, finished by an engine whose clock says what time it is.
    private async Task<string> FinishRunAsync(TimeProvider clock)
    {
        using var engine = DuraflowEngine.Open(DuraflowProject.Open(_project.Root), time: clock);
        var plan = RunPlanner.Plan(PipelineValidator.Validate(_project.PathOf("pipelines/p/pipeline.yaml")));
        var runId = await engine.Committer.StartRunAsync(plan, new Dictionary<string, System.Text.Json.JsonElement>(), "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, (await engine.RunUntilFinishedAsync(runId, null, timeout.Token)).Status);
        return runId;
    }

    private sealed class Behind(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - by;
    }
}
