using Duraflow.Engine.Runs;
using Duraflow.Api.Tests.Http;

namespace Duraflow.Api.Tests;

/// <summary>
/// The served app sees one version of the project at a time: an edit of io_config.yaml reaches the blocks of the next
/// run, as it reaches validation, without restarting the app.
/// </summary>
public sealed class ServedProjectReloadTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task AnEditOfIoConfigYaml_IsWhatTheNextRunsBlockReads()
    {
        _project.Write("io_config.yaml", "default:\n  api: { type: http, base_url: \"https://first.example\" }\n");
        _project.Write("pipelines/reads_api/pipeline.yaml", "name: reads_api\nblocks:\n  - { name: url, uses: \"script:blocks/url.csx\" }\n");
        _project.Write("pipelines/reads_api/blocks/url.csx", "return (await Connection(\"api\")).Settings[\"base_url\"];\n");
        var first = await RunAsync();

        _project.Write("io_config.yaml", "default:\n  api: { type: http, base_url: \"https://second.example/v2\" }\n");
        var second = await RunAsync();

        Assert.Equal("https://first.example", first);
        Assert.Equal("https://second.example/v2", second);
    }

    private async Task<string?> RunAsync()
    {
        var runId = await _project.StartAsync("reads_api");
        var state = await _project.FinishAsync(runId);
        Assert.True(state.Status == RunStatus.Succeeded, $"{state.Status}: {state.Error}");
        var run = await _project.GetAsync($"/api/runs/{runId}");
        return Assert.Single(run.GetProperty("blocks").EnumerateArray()).GetProperty("output").GetProperty("value").GetString();
    }
}
