namespace Duraflow.Engine.Tests.Validation;

/// <summary>What validation checks of a script's Setting("x") and Param("x") reads, before a run would fail on them.</summary>
public sealed class ScriptSettingValidationTests
{
    private const string Script = """
        var top = Setting<int>("top");
        var region = Setting<string>("regoin");
        return new { top, region, day = Param<string>("day") };
        """;

    [Fact]
    public void DF029_A_setting_the_block_does_not_set_is_reported_at_the_script_line_for_each_block_using_it()
    {
        var result = PipelineFixture.Check("""
            name: p
            parameters: { day: date }
            blocks:
              - { name: north, uses: script:report.csx, with: { top: 3, region: north } }
              - { name: west, uses: script:report.csx, with: { top: 5, regoin: west } }
            """, ("report.csx", Script));

        Assert.Equal(
            "p/report.csx:2:30: error DF029: the script reads setting 'regoin', which block 'north' does not set under with: (it sets region, top); "
            + "did you mean 'region'? add it to the block's with:",
            Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void A_script_that_reads_an_undeclared_parameter_is_reported_before_the_run()
    {
        var result = PipelineFixture.Check("""
            name: p
            parameters: { days: int }
            blocks:
              - { name: north, uses: script:report.csx, with: { top: 3, regoin: north } }
            """, ("report.csx", Script));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.StartsWith("p/report.csx:3:47: error DF015", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("references unknown parameter 'day'; did you mean 'days'? known parameters are days", diagnostic.ToString(), StringComparison.Ordinal);
    }
}
