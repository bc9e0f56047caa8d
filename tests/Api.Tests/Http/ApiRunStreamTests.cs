using System.Net;
using System.Text.Json;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/runs/{id}/stream</c>: server-sent events that follow a run until it ends.</summary>
public sealed class ApiRunStreamTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_stream_sends_the_run_as_it_changes_and_ends_with_its_end()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 4 } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/runs/{runId}/stream", UriKind.Relative));
        using var response = await _project.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextRunAsync(reader, timeout.Token);
        var finishing = _project.FinishAsync(runId);
        var events = new List<JsonElement> { first!.Value };
        while (await NextRunAsync(reader, timeout.Token) is { } next)
        {
            events.Add(next);
        }

        await finishing;
        Assert.Equal("pending", events[0].GetProperty("status").GetString());
        Assert.Equal("succeeded", events[^1].GetProperty("status").GetString());
        Assert.True(events.Count >= 2);
        Assert.Equal(runId, events[^1].GetProperty("run_id").GetString());
        Assert.Equal("succeeded", events[^1].GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "double_it").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_that_connects_again_after_the_last_event_of_an_ended_run_is_told_204()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 1 } });
        var ended = await _project.FinishAsync(runId);
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/runs/{runId}/stream", UriKind.Relative));
        again.Headers.Add("Last-Event-ID", ended.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var response = await _project.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task The_timeline_of_a_finished_run_has_each_blocks_queued_and_running_stretches_and_the_run_has_its_graph()
    {
        var runId = await _project.StartAsync("hello", new { parameters = new { n = 3 } });
        await _project.FinishAsync(runId);

        var timeline = (await _project.GetAsync($"/api/runs/{runId}/timeline")).GetProperty("items").EnumerateArray().ToList();
        var run = await _project.GetAsync($"/api/runs/{runId}");

        Assert.Equal(["queued", "running"], timeline.Where(s => s.GetProperty("block").GetString() == "double_it").Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal("succeeded", timeline.Last(s => s.GetProperty("block").GetString() == "double_it").GetProperty("outcome").GetString());
        Assert.All(timeline, s => Assert.True(s.GetProperty("to").GetDateTimeOffset() >= s.GetProperty("from").GetDateTimeOffset()));
        Assert.Equal("double_it", Assert.Single(run.GetProperty("graph").EnumerateArray()).GetProperty("name").GetString());
        await ApiTestProject.ProblemAsync(await _project.Client.GetAsync(new Uri("/api/runs/nope/timeline", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_run_is_a_404_not_a_stream()
    {
        var response = await _project.Client.GetAsync(new Uri("/api/runs/nope/stream", UriKind.Relative));

        await ApiTestProject.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    // The data of the next `run` event, or null when the stream ended.
    private static async Task<JsonElement?> NextRunAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? kind = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "run")
            {
                using var document = JsonDocument.Parse(line["data: ".Length..]);
                return document.RootElement.Clone();
            }
        }

        return null;
    }
}
