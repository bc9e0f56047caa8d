using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>
/// A real HTTP receiver on a loopback port, as a webhook endpoint would be: it keeps each request's idempotency key
/// and body, and answers each request with the next status a test queued (200 when none is left).
/// </summary>
internal sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private AlertReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string? Key, string Body)> Received { get; } = new();

    /// <summary>The receiver's URL for alerts.</summary>
    public string Url => _app.Urls.Single() + "/hook";

    public static async Task<AlertReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new AlertReceiver(builder.Build());
        receiver._app.Run(receiver.AnswerAsync);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The statuses the next requests get, in order.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived in all; a minute turns a hang into a failure.</summary>
    public async Task WaitForAsync(int count)
    {
        while (Received.Count < count)
        {
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromMinutes(1)), $"{Received.Count} of {count} alerts arrived");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : 200;
        Received.Enqueue((context.Request.Headers["Idempotency-Key"].FirstOrDefault(), body));
        _arrived.Release();
    }
}
