using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Tests;

public class TemplateScannerTests
{
    [Fact]
    public void Scan_BlockAndParamReferences_ReturnsEachWithItsPosition()
    {
        var scan = TemplateScanner.Scan("select *\nfrom {{ blocks.clean_orders }}\nwhere day = {{params.day}}");

        Assert.Empty(scan.Problems);
        Assert.Collection(
            scan.References,
            r => Assert.Equal(new TemplateReference("blocks", "clean_orders", "blocks.clean_orders", new TextPosition(2, 9)), r),
            r => Assert.Equal(new TemplateReference("params", "day", "params.day", new TextPosition(3, 15)), r));
    }

    [Fact]
    public void Scan_OfValues_ReportsWhatTheRunCouldNotParse_AtTheTemplate()
    {
        var scan = TemplateScanner.Scan("select {{ params.day | dat: 'yyyy' }},\n  {{ blocks.a.rows > 0 }}, {{ run.id | upper }}");

        Assert.Equal([new TextPosition(1, 8), new TextPosition(2, 3)], scan.Problems.Select(p => p.Position));
        Assert.Contains("unknown filter 'dat'; use one of date, default", scan.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("'blocks.a.rows > 0' is not a path", scan.Problems[1].Message, StringComparison.Ordinal);
        Assert.Equal(["params.day", "blocks.a.rows", "run.id"], scan.References.Select(r => r.Path));
    }

    [Fact]
    public void Scan_ExpressionWithOperatorsFiltersAndStrings_FindsOnlyRootedPaths()
    {
        var scan = TemplateScanner.Scan("{{ blocks.check.count > 0 and not params.skip | default: 'x.y' }} {{ run.scheduled_time | date: 'yyyy.MM' }}", values: false);

        Assert.Empty(scan.Problems);
        Assert.Equal(["blocks.check.count", "params.skip", "run.scheduled_time"], scan.References.Select(r => r.Path));
        Assert.Equal("check", scan.References[0].Name);
    }

    [Fact]
    public void Scan_UnknownRoot_SuggestsTheClosestRoot()
    {
        var problem = Assert.Single(TemplateScanner.Scan("a {{ block.load }}").Problems);

        Assert.Contains("unknown template root 'block'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'blocks'?", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new TextPosition(1, 6), problem.Position);
    }

    [Fact]
    public void Scan_UnclosedTemplate_ReportsWhereItOpens()
    {
        var problem = Assert.Single(TemplateScanner.Scan("line one\n  {{ blocks.a ").Problems);

        Assert.Contains("never closed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new TextPosition(2, 3), problem.Position);
    }

    [Fact]
    public void Scan_RootWithoutName_IsAProblem()
    {
        var problem = Assert.Single(TemplateScanner.Scan("{{ blocks }}").Problems);
        Assert.Contains("'blocks' needs a name", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_TextWithoutTemplates_FindsNothing()
    {
        var scan = TemplateScanner.Scan("select blocks.a from t -- {not a template}");
        Assert.Empty(scan.References);
        Assert.Empty(scan.Problems);
    }
}
