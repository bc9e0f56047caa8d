using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Runs;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests;

/// <summary>
/// The API on the <c>durable</c> runtime, hosted as <c>duraflow serve</c> hosts it: runs started, cancelled and
/// retried through HTTP go to the in-process Durable host on a task hub in Azurite, and the engine's own pollers are
/// off, so only Durable can carry the runs out.
/// </summary>
[Trait("Requires", "Azurite")]
public sealed class DurableServeTests : IDisposable
{
    private readonly TempFolder _project = new();

    public DurableServeTests()
    {
        // The task hub lives in the account the store's connection setting names: Azurite here.
        _project.Write("duraflow.yaml", "runtime: durable\nstore:\n  type: sqlite\n  connection: DURAFLOW_TEST_AZURITE\n");
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n  - { name: b, uses: \"script:blocks/b.csx\", upstream: [a] }\n");
        _project.Write("pipelines/hello/blocks/a.csx", "return 21;\n");
        _project.Write("pipelines/hello/blocks/b.csx", "return Input<long>(\"a\") * 2;\n");
        _project.Write("pipelines/slow/pipeline.yaml", "name: slow\nblocks:\n  - { name: wait, uses: \"script:blocks/wait.csx\" }\n");
        _project.Write("pipelines/slow/blocks/wait.csx", "await Task.Delay(TimeSpan.FromMinutes(5), CancellationToken);\nreturn 1;\n");
        _ = Services.Azurite;
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Runs_started_cancelled_and_retried_through_the_API_go_to_the_durable_runtime()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var engine = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(limit.Token);

        var hello = await StartAsync(client, "hello");
        var finished = await engine.WaitUntilFinishedAsync(hello, null, limit.Token);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal("durable", finished.Runtime);
        Assert.Equal("42", await OutputAsync(client, hello, "b"));
        Assert.Equal("durable", (await RunAsync(client, hello)).GetProperty("runtime").GetString());

        // Retry keeps the pinned definition on Durable: asking for the files as they are now is refused, with why.
        var refresh = await client.PostAsJsonAsync(new Uri($"/api/runs/{hello}/retry", UriKind.Relative), new { refresh = true }, limit.Token);
        var problem = await Http.ApiTestProject.ProblemAsync(refresh, HttpStatusCode.Conflict);
        Assert.Contains("durable runtime", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var slow = await StartAsync(client, "slow");
        await WaitUntilAsync(engine, slow, s => s.Block("wait").Status == BlockStatus.Running, limit.Token);
        var cancel = await client.PostAsJsonAsync(new Uri($"/api/runs/{slow}/cancel", UriKind.Relative), new { }, limit.Token);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var cancelled = await engine.WaitUntilFinishedAsync(slow, null, limit.Token);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task An_approval_sent_over_http_reaches_a_durable_run_once_and_names_the_caller()
    {
        _project.Write("pipelines/release/pipeline.yaml", "name: release\nblocks:\n  - { name: approve, uses: wait.approval, with: { name: ship } }\n  - { name: after, uses: \"script:blocks/a.csx\", upstream: [approve] }\n");
        _project.Write("pipelines/release/blocks/a.csx", "return Input<System.Text.Json.JsonElement>(\"approve\").GetProperty(\"comment\").GetString();\n");
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var engine = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(limit.Token);

        var run = await StartAsync(client, "release");
        await WaitUntilAsync(engine, run, s => s.Block("approve").Status == BlockStatus.Waiting, limit.Token);
        for (var send = 0; send < 2; send++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/runs/{run}/signals/ship", UriKind.Relative))
            {
                Content = JsonContent.Create(new { approved = true, comment = "ship it" }),
            };
            request.Headers.Add("Idempotency-Key", "change-1");
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request, limit.Token)).StatusCode);
        }

        var finished = await engine.WaitUntilFinishedAsync(run, null, limit.Token);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal("\"ship it\"", await OutputAsync(client, run, "after"));
        var signal = Assert.Single(finished.Signals);
        Assert.Equal(("approve", "change-1"), (signal.TakenBy, signal.Key));
        Assert.False(string.IsNullOrEmpty(signal.By));
    }

    [Fact]
    public async Task The_runtime_app_setting_wins_over_duraflow_yaml()
    {
        using var factory = Factory(("Duraflow:Runtime", "duraflow"));
        using var client = factory.CreateClient();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var runId = await StartAsync(client, "hello");
        var engine = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(limit.Token);

        // The engine's workers finish it; on Durable they could not, as no Durable host was started.
        var finished = await engine.RunUntilFinishedAsync(runId, null, limit.Token);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.NotEqual("durable", finished.Runtime);
        Assert.Equal("duraflow", (await RunAsync(client, runId)).GetProperty("runtime").GetString());
    }

    private static async Task<string> StartAsync(HttpClient client, string pipeline)
    {
        var response = await client.PostAsJsonAsync(new Uri($"/api/pipelines/{pipeline}/runs", UriKind.Relative), new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await Http.ApiTestProject.ReadAsync(response)).GetProperty("run_id").GetString()!;
    }

    private static async Task<string?> OutputAsync(HttpClient client, string runId, string block)
    {
        var run = await RunAsync(client, runId);
        var found = run.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == block);
        return found.GetProperty("output").GetProperty("value").GetRawText();
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string runId) =>
        await Http.ApiTestProject.ReadAsync(await client.GetAsync(new Uri($"/api/runs/{runId}", UriKind.Relative)));

    // Polls the store; the token's limit turns a hang into a failure.
    private static async Task WaitUntilAsync(DuraflowEngine engine, string runId, Func<RunState, bool> reached, CancellationToken cancellationToken)
    {
        while (!reached((await engine.Store.GetRunAsync(runId, cancellationToken))!.State))
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private WebApplicationFactory<ApiFactory> Factory(params (string Key, string Value)[] settings) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
}
