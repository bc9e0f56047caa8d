using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Duraflow.Api.Http;
using Duraflow.Engine.Runs;
using Duraflow.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// Telemetry to any OpenTelemetry collector: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a run's spans (its start,
/// commits and block attempts) and the engine's metrics reach a local OTLP/HTTP receiver, under the service name
/// <c>duraflow</c>; a value the exporter could not use stops start-up naming the setting.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _project = new();
    private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _received = new();
    private WebApplication _collector = null!;

    public OtlpExportTests()
    {
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/hello/blocks/a.csx", "return 1;\n");
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await _collector.StartAsync();
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_runs_spans_and_the_engines_metrics_reach_the_collector()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var factory = Factory(_collector.Urls.Single());
        await using (factory)
        {
            using var client = factory.CreateClient();
            var engine = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(limit.Token);
            var started = await client.PostAsJsonAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), new { }, limit.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var runId = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(limit.Token)).GetProperty("run_id").GetString()!;
            Assert.Equal(RunStatus.Succeeded, (await engine.WaitUntilFinishedAsync(runId, null, limit.Token)).Status);
        }

        // Disposing the host flushed both exporters.
        var traces = Text("/v1/traces");
        var metrics = Text("/v1/metrics");
        Assert.All(_received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.Contains("duraflow.start", traces, StringComparison.Ordinal);
        Assert.Contains("duraflow.block", traces, StringComparison.Ordinal);
        Assert.Contains("duraflow.commit", traces, StringComparison.Ordinal);
        Assert.Contains(ApiTelemetry.ServiceName, traces, StringComparison.Ordinal);
        Assert.Contains("duraflow.block.attempts", metrics, StringComparison.Ordinal);
        Assert.Contains("duraflow.run.commits", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    public void An_endpoint_the_exporter_could_not_use_stops_start_up_naming_the_setting(string endpoint)
    {
        using var factory = Factory(endpoint);

        var error = Assert.Throws<InvalidOperationException>(() => factory.Services);

        Assert.Contains(ApiTelemetry.OtlpEndpointSetting, error.Message, StringComparison.Ordinal);
    }

    // Protobuf keeps strings as UTF-8 bytes, so names can be found in the bodies without decoding them.
    private string Text(string path)
    {
        var bodies = _received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.True(bodies.Count > 0, $"the collector got nothing at {path}; it got: {string.Join(", ", _received.Select(r => r.Path))}");
        return string.Concat(bodies);
    }

    private WebApplicationFactory<ApiFactory> Factory(string endpoint) =>
        new ApiFactory().WithWebHostBuilder(b => b
            .UseSetting("Duraflow:Project", _project.Root)
            .UseSetting("Duraflow:Auth:Disabled", "true")
            .UseSetting(ApiTelemetry.OtlpEndpointSetting, endpoint)
            .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
}
