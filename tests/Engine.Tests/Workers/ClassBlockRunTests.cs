using Duraflow.Blocks.Compiled;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Samples;
using Duraflow.Engine.Validation;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>class: blocks in a whole run on the real engine: the upstream found from Run's parameters feeds them.</summary>
public sealed class ClassBlockRunTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_class_block_reads_its_upstream_table_and_a_parameter_and_its_output_is_stored()
    {
        var final = await RunAsync(CompiledBlocks.Of(new ClassBlockCatalog([typeof(ScaledSum).Assembly])));

        Assert.Equal(RunStatus.Succeeded, final.State.Status);
        Assert.Equal("""{"block":"total","sum":100}""", final.Output("total"));
    }

    [Fact]
    public async Task Without_compiled_blocks_the_class_block_fails_at_once_with_the_reason()
    {
        var final = await RunAsync(null);

        Assert.Equal(RunStatus.Failed, final.State.Status);
        var total = final.State.Block("total");
        Assert.Equal(1, total.Attempt);
        Assert.Equal("block total uses class:Duraflow.Engine.Tests.Samples.ScaledSum, but this host loads no compiled blocks", total.Error);
    }

    private async Task<(RunState State, Func<string, string> Output)> RunAsync(CompiledBlocks? classes)
    {
        _project.Write("pipelines/p/numbers.csx", "return Enumerable.Range(1, 4).Select(n => new { N = (long)n }).ToArray();");
        var file = _project.Write("pipelines/p/pipeline.yaml", """
            name: p
            parameters: { factor: { type: int, default: 10 } }
            retry: { attempts: 3, delay: 10ms }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - { name: total, uses: class:Duraflow.Engine.Tests.Samples.ScaledSum }
            """);

        // Validation sees the class either way, so both runs have the same plan; only the executor differs.
        var validated = PipelineValidator.Validate(file, "pipelines/p/pipeline.yaml", classes: CompiledBlocks.Of(new ClassBlockCatalog([typeof(ScaledSum).Assembly])));
        using var local = DuraflowEngine.Open(DuraflowProject.Open(_project.Root), new DefaultBlockExecutor(classes: classes));
        var state = await WholeRuns.RunAsync(local, validated);
        var outputs = new Dictionary<string, string>();
        foreach (var block in state.Blocks.Where(b => b.Value.Output is not null))
        {
            outputs[block.Key] = await WholeRuns.OutputAsync(local, state, block.Key);
        }

        return (state, name => outputs[name]);
    }
}
