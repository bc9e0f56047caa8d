using System.Net;
using System.Text;
using Duraflow.Engine.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>POST /api/runs/{id}/signals/{name}</c>: approvals and signals over HTTP, and what the endpoint refuses.</summary>
public sealed class ApiSignalTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiSignalTests()
    {
        _project.Write("pipelines/release/pipeline.yaml", """
            name: release
            blocks:
              - { name: approve, uses: wait.approval, with: { name: ship } }
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task An_approval_sent_over_http_is_kept_until_its_wait_counts_once_per_key_and_names_the_caller()
    {
        var runId = await _project.StartAsync("release");

        var first = await SignalAsync(runId, "ship", """{ "approved": true, "comment": "looks good" }""", key: "change-42");
        var again = await SignalAsync(runId, "ship", """{ "approved": true, "comment": "looks good" }""", key: "change-42");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var firstBody = await ApiTestProject.ReadAsync(first);
        Assert.Equal("api-key", firstBody.GetProperty("by").GetString());
        Assert.False(firstBody.GetProperty("repeated").GetBoolean());
        Assert.True((await ApiTestProject.ReadAsync(again)).GetProperty("repeated").GetBoolean());

        var state = await _project.FinishAsync(runId);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.True(OutputReference.TryGetInlineJson(state.Block("approve").Output!, out var output));
        using var approval = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("api-key", approval.RootElement.GetProperty("by").GetString());
        Assert.Equal("looks good", approval.RootElement.GetProperty("comment").GetString());
        var shown = await _project.GetAsync($"/api/runs/{runId}");
        var signal = Assert.Single(shown.GetProperty("signals").EnumerateArray());
        Assert.Equal(("ship", "approve", "change-42"), (signal.GetProperty("name").GetString(), signal.GetProperty("taken_by").GetString(), signal.GetProperty("key").GetString()));
        Assert.Empty(shown.GetProperty("waits").EnumerateArray());
    }

    [Fact]
    public async Task A_run_waiting_for_its_approval_is_listed_as_waiting_until_it_is_approved()
    {
        var runId = await _project.StartAsync("release");
        var other = await _project.StartAsync("release");
        await _project.PostAsync($"/api/runs/{other}/cancel");
        var local = await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        using (var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            // Workers run until the block waits, as a worker process would, then stop: the run waits with none.
            var workers = local.Workers.RunAsync(stop.Token);
            while ((await local.Store.GetRunAsync(runId, stop.Token))!.State.Block("approve").Status != BlockStatus.Waiting)
            {
                await local.Committer.Signal.WaitAsync(TimeSpan.FromMilliseconds(50), stop.Token);
            }

            await stop.CancelAsync();
            await workers;
        }

        var waiting = (await _project.GetAsync("/api/runs?status=waiting")).GetProperty("items").EnumerateArray().ToList();
        var running = (await _project.GetAsync("/api/runs?status=running")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(runId, Assert.Single(waiting).GetProperty("run_id").GetString());
        Assert.Equal(("running", true), (waiting[0].GetProperty("status").GetString(), waiting[0].GetProperty("waiting").GetBoolean()));
        Assert.Equal(runId, Assert.Single(running).GetProperty("run_id").GetString());
        Assert.True((await _project.GetAsync($"/api/runs/{runId}")).GetProperty("waiting").GetBoolean());

        await SignalAsync(runId, "ship", """{ "approved": true }""", key: null);
        await _project.FinishAsync(runId);

        Assert.Empty((await _project.GetAsync("/api/runs?status=waiting")).GetProperty("items").EnumerateArray());
        Assert.False((await _project.GetAsync($"/api/runs/{runId}")).GetProperty("waiting").GetBoolean());
    }

    [Fact]
    public async Task Signals_sent_at_once_with_one_key_count_once_and_with_their_own_keys_each_count()
    {
        var runId = await _project.StartAsync("release");

        var same = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SignalAsync(runId, "note", "{}", key: "same")));
        var own = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SignalAsync(runId, "note", "{}", key: $"own-{i}")));

        Assert.All(same.Concat(own), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var local = await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var received = (await local.Store.GetEventsAsync(runId, CancellationToken.None)).OfType<SignalReceived>().ToList();
        Assert.Single(received, s => s.SignalKey == "same");
        Assert.Equal(12, received.Count(s => s.SignalKey!.StartsWith("own-", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("bad name!", "{}", null, "name", "is not a signal name")]
    [InlineData("ship", "[1, 2]", null, "body", "must be a JSON object")]
    [InlineData("ship", """{ "approved": true, "by": "the boss" }""", null, "by", "taken from the caller's identity")]
    [InlineData("ship", "BIG", null, "body", "larger than 4096 bytes")]
    [InlineData("ship", "{}", "LONG", "Idempotency-Key", "1 to 200 characters")]
    public async Task Bad_signals_are_refused_with_the_field_and_the_fix(string name, string body, string? key, string field, string says)
    {
        var runId = await _project.StartAsync("release");
        body = body == "BIG" ? $$"""{ "blob": "{{new string('x', 5000)}}" }""" : body;
        key = key == "LONG" ? new string('k', 201) : key;

        var response = await SignalAsync(runId, Uri.EscapeDataString(name), body, key);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(says, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var local = await _project.Factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        Assert.Empty((await local.Store.GetRunAsync(runId, CancellationToken.None))!.State.Signals);
    }

    [Fact]
    public async Task An_unknown_run_is_404_and_a_finished_run_refuses_with_409()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SignalAsync("no-such-run", "ship", "{}")).StatusCode);

        var runId = await _project.StartAsync("release");
        await _project.PostAsync($"/api/runs/{runId}/cancel");
        await _project.FinishAsync(runId);
        var late = await SignalAsync(runId, "ship", """{ "approved": true }""");

        var problem = await ApiTestProject.ProblemAsync(late, HttpStatusCode.Conflict);
        Assert.Contains("only a pending or running run takes signals", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SignalAsync(string runId, string name, string? body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/runs/{runId}/signals/{name}", UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _project.Client.SendAsync(request);
    }
}
