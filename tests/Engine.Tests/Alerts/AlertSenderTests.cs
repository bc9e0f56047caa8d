using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Duraflow.Engine.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>
/// One delivery attempt against a local receiver: the body and the idempotency key arrive, and the answer decides
/// between delivered, try again (5xx, 408, 429, no answer in time) and failed (other 4xx, redirects, refused URLs).
/// </summary>
public sealed class AlertSenderTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<(string? Key, string Body)> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly HttpClient _client = new(AlertSender.CreateHandler());
    private WebApplication _receiver = null!;
    private volatile bool _echo;

    private string Url => _receiver.Urls.Single() + "/alerts";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _received.Enqueue((context.Request.Headers["Idempotency-Key"].FirstOrDefault(), await reader.ReadToEndAsync()));
            var status = _answers.TryDequeue(out var next) ? next : 200;
            if (status == 599)
            {
                // Never answers in time: the sender gives up on this attempt.
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }

            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "120";
            }

            if (status is >= 300 and < 400)
            {
                context.Response.Headers.Location = "https://elsewhere.example.com/hooks/s3cr3t";
            }

            context.Response.StatusCode = status;
            var refusal = _echo ? $"no route for {context.Request.Path}{context.Request.QueryString}" : "the receiver says no\nmore detail";
            await context.Response.WriteAsync(status >= 400 ? refusal : "ok");
        });
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_receiver_answering_500_twice_then_200_is_tried_three_times_with_one_key()
    {
        _answers.Enqueue(500);
        _answers.Enqueue(503);
        var sender = new AlertSender(_client);
        var body = new JsonObject { ["event"] = "failed", ["run_id"] = "r1" };

        var results = new List<AlertSendResult>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            results.Add(await sender.SendAsync(Url, body, "r1/alert/0/failed/0", CancellationToken.None));
        }

        Assert.Equal([AlertSendOutcome.Retry, AlertSendOutcome.Retry, AlertSendOutcome.Delivered], results.Select(r => r.Outcome));
        Assert.Equal("HTTP 500: the receiver says no", results[0].Detail);
        Assert.Equal(3, _received.Count);
        Assert.All(_received, r => Assert.Equal("r1/alert/0/failed/0", r.Key));
        Assert.All(_received, r => Assert.Equal("""{"event":"failed","run_id":"r1"}""", r.Body));
    }

    [Theory]
    [InlineData(404, "Failed")]
    [InlineData(400, "Failed")]
    [InlineData(302, "Failed")]
    [InlineData(408, "Retry")]
    [InlineData(429, "Retry")]
    [InlineData(502, "Retry")]
    [InlineData(204, "Delivered")]
    public async Task The_answer_decides_whether_to_try_again(int status, string expected)
    {
        _answers.Enqueue(status);

        var result = await new AlertSender(_client).SendAsync(Url, new JsonObject(), "k", CancellationToken.None);

        Assert.Equal((expected, (int?)status), (result.Outcome.ToString(), result.Status));
        Assert.Single(_received);
    }

    [Fact]
    public async Task No_answer_in_time_is_tried_again_and_a_dead_endpoint_too()
    {
        _answers.Enqueue(599);

        var slow = await new AlertSender(_client, TimeSpan.FromMilliseconds(300)).SendAsync(Url, new JsonObject(), "k", CancellationToken.None);
        var dead = await new AlertSender(_client).SendAsync("http://127.0.0.1:9/alerts", new JsonObject(), "k", CancellationToken.None);

        Assert.Equal((AlertSendOutcome.Retry, (int?)null), (slow.Outcome, slow.Status));
        Assert.Contains("no answer within 0.3 s", slow.Detail, StringComparison.Ordinal);
        Assert.Equal(AlertSendOutcome.Retry, dead.Outcome);
    }

    [Theory]
    [InlineData("http://hooks.example.com/a")]
    [InlineData("ftp://127.0.0.1/a")]
    [InlineData("not a url")]
    public async Task A_rendered_url_alerts_may_not_go_to_fails_without_a_request(string url)
    {
        var result = await new AlertSender(_client).SendAsync(url, new JsonObject(), "k", CancellationToken.None);

        Assert.Equal(AlertSendOutcome.Failed, result.Outcome);
        Assert.StartsWith("the destination must", result.Detail, StringComparison.Ordinal);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task What_a_receiver_echoes_of_the_secret_url_is_not_recorded()
    {
        _answers.Enqueue(404);
        _echo = true;
        var url = Url + "/T0001/B0002/s3cr3tT0k3nValue?code=another-secret-value";

        var result = await new AlertSender(_client).SendAsync(url, new JsonObject(), "k", CancellationToken.None);

        Assert.Equal(AlertSendOutcome.Failed, result.Outcome);
        Assert.StartsWith("HTTP 404: no route for ***", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3tT0k3nValue", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("another-secret-value", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_recorded_by_its_origin_only()
    {
        _answers.Enqueue(302);

        var result = await new AlertSender(_client).SendAsync(Url, new JsonObject(), "k", CancellationToken.None);

        Assert.Equal("HTTP 302: redirected to https://elsewhere.example.com/…; put the final URL in the secret", result.Detail);
    }

    [Fact]
    public async Task A_receiver_asking_to_wait_is_left_alone_that_long()
    {
        _answers.Enqueue(429);

        var result = await new AlertSender(_client).SendAsync(Url, new JsonObject(), "k", CancellationToken.None);

        Assert.Equal((AlertSendOutcome.Retry, (TimeSpan?)TimeSpan.FromMinutes(2)), (result.Outcome, result.RetryAfter));
    }

    [Fact]
    public void Backoff_doubles_from_five_seconds_to_at_most_five_minutes() =>
        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], Enumerable.Range(1, 8).Select(a => AlertSender.Backoff(a).TotalSeconds));
}
