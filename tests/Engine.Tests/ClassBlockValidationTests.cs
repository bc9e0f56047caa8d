using Duraflow.Blocks.Compiled;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Tests.Samples;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests;

/// <summary>class: blocks in validation: the typed inputs of Run are dependencies, and wrong classes are located at uses:.</summary>
public class ClassBlockValidationTests
{
    private const string Numbers = "return Enumerable.Range(1, 4).Select(n => new { N = (long)n }).ToArray();";

    private static readonly CompiledBlocks Classes = CompiledBlocks.Of(new ClassBlockCatalog([typeof(ScaledSum).Assembly]));

    [Fact]
    public void A_parameter_named_like_a_block_makes_it_upstream_and_one_named_like_a_parameter_does_not()
    {
        var result = Check("""
            name: p
            parameters: { factor: int, numbers_too: int }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - { name: other, uses: script:numbers.csx }
              - { name: total, uses: class:Duraflow.Engine.Tests.Samples.ScaledSum }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(["numbers"], result.Graph!.Upstream("total").Select(b => b.Name));
        Assert.Equal(["total"], result.Graph.Downstream("numbers").Select(b => b.Name));
        Assert.Empty(result.Graph.Downstream("other"));
    }

    [Fact]
    public void DF023_An_unknown_class_is_reported_at_uses_with_the_closest_name()
    {
        var result = Check("""
            name: p
            blocks:
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.ScaledSun
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.StartsWith(
            "p/pipeline.yaml:4:11: error DF023: block 'total' uses class:Duraflow.Engine.Tests.Samples.ScaledSun, but there is no public class "
            + "Duraflow.Engine.Tests.Samples.ScaledSun in Duraflow.Engine.Tests.dll (did you mean 'Duraflow.Engine.Tests.Samples.ScaledSum'?); the blocks ",
            diagnostic.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void DF024_A_class_that_is_not_a_block_is_reported_at_uses_with_the_fix()
    {
        var result = Check("name: p\nblocks:\n  - { name: total, uses: 'class:Duraflow.Engine.Tests.Samples.NotABlock' }\n");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "p/pipeline.yaml:3:26: error DF024: block 'total' uses class:Duraflow.Engine.Tests.Samples.NotABlock, but class Duraflow.Engine.Tests.Samples.NotABlock "
            + "has no public method named RunAsync or Run; add one, e.g. public IEnumerable<Total> Run(IEnumerable<Order> loadOrders)",
            diagnostic.ToString());
    }

    [Fact]
    public void DF026_A_parameter_naming_no_block_or_parameter_is_reported_with_the_closest_name()
    {
        var result = Check("""
            name: p
            parameters: { factor: int }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - name: count
                uses: class:Duraflow.Engine.Tests.Samples.ReadsAMisspeltBlock
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "p/pipeline.yaml:6:11: error DF026: block 'count': parameter 'nubmers' of Duraflow.Engine.Tests.Samples.ReadsAMisspeltBlock.Run reads 'nubmers', "
            + "which is no block or parameter of the pipeline; did you mean 'numbers'? a parameter reads the block or run parameter with its name in snake_case "
            + "(blocks: count, numbers; parameters: factor)",
            diagnostic.ToString());
        Assert.Empty(result.Graph!.Upstream("count"));
    }

    [Fact]
    public void A_with_key_fills_the_parameter_of_its_name_and_is_not_a_dependency()
    {
        var result = Check("""
            name: p
            parameters: { base: int }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.ScaledSum
                with: { factor: "{{ params.base }}" }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(["numbers"], result.Graph!.Upstream("total").Select(b => b.Name));
    }

    [Fact]
    public void DF029_A_with_key_that_no_parameter_reads_is_reported_at_the_key()
    {
        var result = Check("""
            name: p
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.PlainScaledSum
                with: { factor: 2, factro_x: 3, per_region: true }
            """);

        var diagnostics = result.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(
            "p/pipeline.yaml:6:24: error DF029: block 'total': with.factro_x is read by no parameter of Duraflow.Engine.Tests.Samples.PlainScaledSum.Run "
                + "(its parameters read numbers, factor); did you mean 'factor'? add a parameter factroX to Run, or remove the setting",
            diagnostics[0]);
        Assert.Equal(
            "p/pipeline.yaml:6:37: error DF029: block 'total': with.per_region is read by no parameter of Duraflow.Engine.Tests.Samples.PlainScaledSum.Run "
                + "(its parameters read numbers, factor); add a parameter perRegion to Run, or remove the setting",
            diagnostics[1]);
    }

    [Fact]
    public void A_class_that_takes_the_context_may_read_any_with_key_from_it()
    {
        var result = Check("""
            name: p
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.ScaledSum
                with: { factor: 2, label: totals }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void DF030_A_with_key_named_like_a_block_that_a_parameter_reads_is_reported_at_the_key()
    {
        var result = Check("""
            name: p
            parameters: { factor: int }
            blocks:
              - { name: numbers, uses: script:numbers.csx }
              - name: total
                uses: class:Duraflow.Engine.Tests.Samples.ScaledSum
                with:
                  numbers: [1, 2]
            """);

        Assert.Equal(
            "p/pipeline.yaml:8:7: error DF030: block 'total': with.numbers has the name of block 'numbers', and parameter 'numbers' of "
            + "Duraflow.Engine.Tests.Samples.ScaledSum.Run cannot read both; rename the setting and the parameter",
            Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Without_compiled_blocks_class_blocks_are_left_unchecked()
    {
        using var fixture = new PipelineFixture();
        fixture.File("numbers.csx", Numbers);

        var result = fixture.Validate("name: p\nblocks:\n  - { name: numbers, uses: script:numbers.csx }\n  - { name: total, uses: class:Shop.Nowhere }\n");

        Assert.True(result.IsValid);
        Assert.Empty(result.Graph!.Upstream("total"));
    }

    [Fact]
    public void DF023_A_project_without_a_blocks_library_says_where_classes_come_from()
    {
        using var project = new TempFolder();
        var file = project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: total, uses: class:Shop.Totals }\n");

        var result = PipelineValidator.Validate(file, "pipelines/p/pipeline.yaml", classes: CompiledBlocks.ForProject(project.Root));

        Assert.Equal(
            "pipelines/p/pipeline.yaml:3:26: error DF023: block 'total' uses class:Shop.Totals, but the project has no blocks/ class library (blocks/*.csproj), "
            + "where compiled blocks live; `duraflow init` in an empty folder shows one",
            Assert.Single(result.Diagnostics).ToString());
        Assert.False(Directory.Exists(project.PathOf(".duraflow")));
    }

    private static ValidatedPipeline Check(string yaml)
    {
        using var fixture = new PipelineFixture();
        fixture.File("numbers.csx", Numbers);
        return fixture.Validate(yaml, classes: Classes);
    }
}
