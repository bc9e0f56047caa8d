using Duraflow.Blocks.Compiled;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Samples;
using Duraflow.Engine.Validation;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>One script and one class reused by several blocks with different with: settings, in whole runs on the engine.</summary>
public sealed class CodeBlockSettingsRunTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Each_block_reads_its_own_settings_rendered_from_run_parameters()
    {
        _project.Write("pipelines/p/numbers.csx", "return Enumerable.Range(1, 4).Select(n => new { N = (long)n }).ToArray();");
        _project.Write("pipelines/p/label.csx", """
            return new { label = Setting<string>("prefix") + ":" + Setting<int>("top"), all = Settings };
            """);
        var file = _project.Write("pipelines/p/pipeline.yaml", """
            name: p
            parameters: { region: { type: string, default: north }, base: { type: int, default: 7 } }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - { name: first, uses: script:label.csx, with: { prefix: "a-{{ params.region }}", top: 3 } }
              - { name: second, uses: script:label.csx, with: { prefix: b, top: "{{ params.base }}" } }
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.ScaledSum
                with: { factor: "{{ params.base }}" }
            """);
        var classes = CompiledBlocks.Of(new ClassBlockCatalog([typeof(ScaledSum).Assembly]));
        var validated = PipelineValidator.Validate(file, "pipelines/p/pipeline.yaml", classes: classes);
        using var local = DuraflowEngine.Open(DuraflowProject.Open(_project.Root), new DefaultBlockExecutor(classes: classes));

        var state = await WholeRuns.RunAsync(local, validated);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("""{"label":"a-north:3","all":{"prefix":"a-north","top":3}}""", await WholeRuns.OutputAsync(local, state, "first"));
        Assert.Equal("""{"label":"b:7","all":{"prefix":"b","top":7}}""", await WholeRuns.OutputAsync(local, state, "second"));
        Assert.Equal("""{"block":"total","sum":70}""", await WholeRuns.OutputAsync(local, state, "total"));
    }
}
