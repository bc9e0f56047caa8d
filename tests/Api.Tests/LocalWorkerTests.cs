using Duraflow.Engine.Tests;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests;

/// <summary>Local mode: with no Functions host the app works on runs itself.</summary>
public sealed class HandlerLocalModeTests : IDisposable
{
    private readonly TempFolder _project = new();

    public HandlerLocalModeTests()
    {
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/p/blocks/a.csx", "return 41 + 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task LocalServer_RunsTheWorkerHost_SoAStartedRunFinishes()
    {
        using var factory = Factory(localWorkers: true);
        using var client = factory.CreateClient();
        var local = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var finished = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        local.Committer.RunChanged += (_, change) =>
        {
            var state = change.State;
            if (state.Status.IsTerminal())
            {
                finished.TrySetResult(state);
            }
        };

        await local.Committer.StartRunAsync(
            RunPlanner.Plan(PipelineValidator.Validate(_project.PathOf("pipelines/p/pipeline.yaml"))), new Dictionary<string, System.Text.Json.JsonElement>(), "test");

        var state = await finished.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, state.Status);
    }

    private WebApplicationFactory<ApiFactory> Factory(bool localWorkers) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _project.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.UseSetting("Duraflow:LocalWorkers", localWorkers ? "true" : "false");
        });
}
