using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>What a run keeps of what its blocks print and of its secret parameters, in whole runs on the engine.</summary>
public sealed class RunRedactionTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_secret_parameter_value_is_masked_in_its_run_and_leaves_other_runs_data_alone()
    {
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nparameters: { token: { type: string, secret: true } }\nblocks:\n  - { name: a, uses: script:a.csx }\n");
        _project.Write("pipelines/p/a.csx", "return Param<string>(\"token\") + \"://example.org\";\n");
        _project.Write("pipelines/q/pipeline.yaml", "name: q\nblocks:\n  - { name: b, uses: script:b.csx }\n");
        _project.Write("pipelines/q/b.csx", "return \"https://example.org\";\n");
        using var local = DuraflowEngine.Open(DuraflowProject.Open(_project.Root), new DefaultBlockExecutor());

        var secretRun = await RunAsync(local, "p", """{"token": "https"}""");
        var otherRun = await RunAsync(local, "q", "{}");

        Assert.Equal("\"***://example.org\"", await OutputAsync(local, secretRun, "a"));
        Assert.Equal("\"https://example.org\"", await OutputAsync(local, otherRun, "b"));
    }

    [Fact]
    public async Task What_a_block_prints_is_kept_in_its_log_up_to_a_limit_and_the_rest_is_counted()
    {
        _project.Write("pipelines/chatty/pipeline.yaml", "name: chatty\nblocks:\n  - { name: loud, uses: script:loud.csx }\n");
        _project.Write("pipelines/chatty/loud.csx", "for (var i = 0; i < 10_005; i++) { Console.WriteLine($\"row {i}\"); }\nConsole.Write(\"no line break\");\nreturn 1;\n");
        using var local = DuraflowEngine.Open(DuraflowProject.Open(_project.Root), new DefaultBlockExecutor());

        var run = await RunAsync(local, "chatty", "{}");
        var lines = await local.Store.GetLogsAsync(run.RunId, "loud", CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(10_000, lines.Count(l => l.Level == "information"));
        Assert.Equal("row 9999", lines.Where(l => l.Level == "information").Last().Message);
        Assert.Equal("6 more lines printed with Console were dropped after the first 10000; use Log for what the run must keep", lines.Single(l => l.Level == "warning").Message);
    }

    private Task<RunState> RunAsync(DuraflowEngine local, string pipeline, string parameters) =>
        WholeRuns.RunAsync(local, PipelineValidator.Validate(_project.PathOf($"pipelines/{pipeline}/pipeline.yaml")), parameters);

    private static Task<string> OutputAsync(DuraflowEngine local, RunState state, string block) => WholeRuns.OutputAsync(local, state, block);
}
