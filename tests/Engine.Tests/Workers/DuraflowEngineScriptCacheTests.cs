using System.Text.Json;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

public sealed class DuraflowEngineScriptCacheTests
{
    [Fact]
    public async Task Scripts_a_run_compiles_are_kept_in_the_projects_cache_folder()
    {
        using var folder = new TempFolder();
        folder.Write("duraflow.yaml", "store: { path: state/runs.db }\n");
        var file = folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: answer, uses: \"script:blocks/answer.csx\" }\n");
        folder.Write("pipelines/p/blocks/answer.csx", "return 6 * 7;\n");
        var project = DuraflowProject.Open(folder.Root);
        // Validated without a compiler, so only the run's executor can have compiled the script.
        var plan = RunPlanner.Plan(PipelineValidator.Validate(file));

        using var local = DuraflowEngine.Open(project);
        var runId = await local.Committer.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await local.RunUntilFinishedAsync(runId, null, limit.Token);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        var cached = Assert.Single(Directory.GetFiles(folder.PathOf("state/cache/scripts")));
        Assert.EndsWith(".dll", cached, StringComparison.Ordinal);
    }
}
