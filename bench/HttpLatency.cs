using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Duraflow.Api.Setup;

namespace Duraflow.Bench;

/// <summary>
/// Trigger to first block through the HTTP API: the API as <c>duraflow serve</c> runs it, started in this process on a loopback Kestrel
/// port over a temporary project (SQLite FULL, one pipeline of one C# script block that returns a constant), and
/// <c>POST /api/pipelines/latency/runs</c> with an API key. The app builds its own block executor, so there is no hook
/// at the moment a block starts; instead each sample is the block's recorded start time (<c>started_at</c> of
/// <c>GET /api/runs/{id}</c>, stamped by the engine with the system clock when the attempt starts) minus the time the
/// request was sent, both read from the same clock in the same process. The GET only fetches that timestamp after the
/// run has ended; no sample depends on when it was polled.
/// </summary>
internal static class HttpLatency
{
    private const string ApiKey = "bench-key";

    public static async Task<ScenarioOutcome> RunAsync(int samples, TimeSpan budget)
    {
        var project = Directory.CreateTempSubdirectory("duraflow-bench-http-");
        File.WriteAllText(Path.Combine(project.FullName, "duraflow.yaml"), "name: bench\nstore:\n  type: sqlite\n  path: .duraflow/duraflow.db\n  durability: full\n");
        Directory.CreateDirectory(Path.Combine(project.FullName, "pipelines", "latency", "blocks"));
        File.WriteAllText(Path.Combine(project.FullName, "pipelines", "latency", "pipeline.yaml"), "name: latency\nblocks:\n  - { name: first, uses: \"script:blocks/first.csx\" }\n");
        File.WriteAllText(Path.Combine(project.FullName, "pipelines", "latency", "blocks", "first.csx"), "return 1;\n");

        var app = LocalServer.Create(
        [
            "--contentRoot", project.FullName, "--urls", "http://127.0.0.1:0", "--Duraflow:Project", project.FullName, "--Duraflow:ApiKey", ApiKey,
            "--Duraflow:LocalWorkers", "true", "--Duraflow:Schedules", "false",

            // Request logging to the console would be measured too, and would bury the harness's output.
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        var memory = PeakMemory.Reset();
        var outcome = new ScenarioOutcome { Scenario = "latency HTTP API", Store = BenchStore.SqliteFull.Name(), Size = OutcomeText.Invariant($"{samples:N0} runs") };
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Run(SampleAllAsync).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            return outcome with { Failure = OutcomeText.Invariant($"did not finish in {budget.TotalSeconds:0} s ({latencies.Count:N0} of {samples:N0} samples)"), PeakBytes = memory.Bytes(), PeakSource = memory.Source };
        }

        var result = Percentiles.Outcome(outcome, latencies, clock.Elapsed) with { PeakBytes = memory.Bytes(), PeakSource = memory.Source };
        await app.StopAsync();
        await app.DisposeAsync();
        project.Delete(recursive: true);
        return result;

        async Task SampleAllAsync()
        {
            // The first runs compile the script and warm the app's paths; they are not counted.
            var warmUp = Math.Max(5, samples / 10);
            for (var i = 0; i < warmUp + samples; i++)
            {
                var latency = await SampleAsync(client);
                if (i >= warmUp)
                {
                    latencies.Add(latency);
                }
            }
        }
    }

    private static async Task<double> SampleAsync(HttpClient client)
    {
        var sent = DateTimeOffset.UtcNow;
        using var response = await client.PostAsJsonAsync("/api/pipelines/latency/runs", new { });
        response.EnsureSuccessStatusCode();
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetString();
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status is "succeeded")
            {
                var started = run.GetProperty("blocks")[0].GetProperty("started_at").GetDateTimeOffset();
                return (started - sent).TotalMilliseconds;
            }

            if (status is "failed" or "cancelled" or "canceled")
            {
                throw new InvalidOperationException($"run {runId} ended {status}");
            }

            await Task.Delay(5);
        }
    }
}
