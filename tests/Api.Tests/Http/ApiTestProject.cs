using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

/// <summary>
/// A project made for API tests, served by the app with an API key: <c>hello</c> (an int parameter <c>n</c>, one
/// block returning n * 2 and logging), <c>gate</c> (fails until the file <see cref="GateFile"/> exists), <c>closed</c>
/// (its http trigger disabled) and <c>other</c>.
/// </summary>
internal sealed class ApiTestProject : IDisposable
{
    public const string Key = "test-key-3f9a";

    private readonly TempFolder _folder = new();
    private readonly CapturedLogs? _logs;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>Creates the project and serves it; <paramref name="logs"/>, when given, receives the app's logs.</summary>
    /// <param name="logs">Receives the app's logs.</param>
    /// <param name="prepare">Writes more files into the folder before the app starts (other workspaces' projects).</param>
    /// <param name="settings">More settings for the app, given the folder.</param>
    public ApiTestProject(CapturedLogs? logs = null, Action<TempFolder>? prepare = null, Func<TempFolder, IReadOnlyDictionary<string, string>>? settings = null)
    {
        _logs = logs;
        prepare?.Invoke(_folder);
        _settings = settings?.Invoke(_folder) ?? new Dictionary<string, string>();
        _folder.Write("pipelines/hello/pipeline.yaml", """
            name: hello
            parameters:
              n: { type: int, required: true }
              colour: { type: string, default: red, allowed: [red, blue] }
            blocks:
              - { name: double_it, uses: "script:blocks/double_it.csx" }
            """);
        _folder.Write("pipelines/hello/blocks/double_it.csx", "Log.LogInformation(\"doubling {N}\", Param<long>(\"n\"));\nreturn Param<long>(\"n\") * 2;\n");
        _folder.Write("pipelines/gate/pipeline.yaml", "name: gate\nblocks:\n  - { name: open, uses: \"script:blocks/open.csx\" }\n");
        _folder.Write("pipelines/gate/blocks/open.csx", $"if (!System.IO.File.Exists({JsonSerializer.Serialize(GateFile)})) throw new NonRetryableBlockException(\"the gate is shut\");\nreturn 1;\n");
        _folder.Write("pipelines/closed/pipeline.yaml", "name: closed\ntriggers:\n  - http: { enabled: false }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _folder.Write("pipelines/closed/blocks/a.csx", "return 1;\n");
        _folder.Write("pipelines/other/pipeline.yaml", "name: other\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _folder.Write("pipelines/other/blocks/a.csx", "return 1;\n");
        (Factory, Client) = Serve();
    }

    public string GateFile => _folder.PathOf("gate-open");

    /// <summary>The project folder.</summary>
    public string Root => _folder.Root;

    public WebApplicationFactory<ApiFactory> Factory { get; private set; }

    public HttpClient Client { get; private set; }

    /// <summary>Stops the app and serves the same project from a new one, as a restart of the server does.</summary>
    public void Restart()
    {
        Client.Dispose();
        Factory.Dispose();
        (Factory, Client) = Serve();
    }

    public void Write(string relativePath, string content) => _folder.Write(relativePath, content);

    /// <summary>Starts a run and returns its id, asserting the 202.</summary>
    public async Task<string> StartAsync(string pipeline, object? body = null)
    {
        var response = await Client.PostAsJsonAsync(new Uri($"/api/pipelines/{pipeline}/runs", UriKind.Relative), body ?? new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ReadAsync(response)).GetProperty("run_id").GetString()!;
    }

    /// <summary>Runs the workers of the app's own engine until the run ends, as a worker process would.</summary>
    public async Task<RunState> FinishAsync(string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var local = await Factory.Services.GetRequiredService<SharedEngine>().GetAsync(timeout.Token);
        return await local.RunUntilFinishedAsync(runId, null, timeout.Token);
    }

    public async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await ReadAsync(response);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        var response = await Client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { });
        return (response, await ReadAsync(response));
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json response with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await ReadAsync(response);
    }

    /// <summary>Sends <paramref name="body"/> as it is, with <paramref name="contentType"/> (none when null).</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string path, string body, string? contentType)
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private (WebApplicationFactory<ApiFactory> Factory, HttpClient Client) Serve()
    {
        var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.Root);
            b.UseSetting("Duraflow:ApiKey", Key);

            // The tests drive workers themselves, so that a run's progress is theirs to observe.
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            foreach (var (name, value) in _settings)
            {
                b.UseSetting(name, value);
            }

            if (_logs is not null)
            {
                b.ConfigureLogging(l => l.AddProvider(_logs));
            }
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return (factory, client);
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        _folder.Dispose();
    }
}
