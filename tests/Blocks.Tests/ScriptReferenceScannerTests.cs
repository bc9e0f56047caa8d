using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Tests;

public class ScriptReferenceScannerTests
{
    [Fact]
    public void Scan_GenericAndPlainInputCalls_ReturnsNamesAndPositions()
    {
        const string script = """
            var orders = Input<List<Dictionary<string, int>>>("load_orders");
            var raw = Input("customers");
            return orders.Count + ctx.Input<int>( "offset" );
            """;

        var references = ScriptReferenceScanner.Scan(script);

        Assert.Equal(["load_orders", "customers", "offset"], references.Select(r => r.Name));
        Assert.Equal(new TextPosition(1, 51), references[0].Position);
        Assert.Equal(new TextPosition(2, 17), references[1].Position);
        Assert.All(references, r => Assert.Equal("blocks", r.Root));
    }

    [Fact]
    public void Scan_ParamAndSettingCalls_ReturnParameterAndSettingReferences()
    {
        const string script = """
            var day = Param<DateOnly>("day");
            var top = Setting<int>("top");
            return Input("orders");
            """;

        var references = ScriptReferenceScanner.Scan(script);

        Assert.Equal([("params", "day"), ("settings", "top"), ("blocks", "orders")], references.Select(r => (r.Root, r.Name)));
        Assert.Equal(new TextPosition(2, 24), references[1].Position);
    }

    [Fact]
    public void Scan_ParamAndSettingOfOtherObjectsOrOfTheScriptsOwnMethods_AreNotReads()
    {
        const string script = """
            string Setting(string name) => name.ToUpperInvariant();
            var a = row.Param("x");
            var b = config.Setting<int>("y");
            var c = Setting("z");
            return this.Param<int>("limit") + ctx.Input<int>("offset");
            """;

        Assert.Equal([("params", "limit"), ("blocks", "offset")], ScriptReferenceScanner.Scan(script).Select(r => (r.Root, r.Name)));
    }

    [Fact]
    public void Scan_CallsInCommentsAndStrings_AreIgnored()
    {
        const string script = """
            // Input("commented")
            /* Input<int>("block_comment") */
            var text = "Input(\"in_string\")";
            return text;
            """;

        Assert.Empty(ScriptReferenceScanner.Scan(script));
    }

    [Fact]
    public void Scan_NonLiteralArgumentOrOtherMethod_IsIgnored()
    {
        const string script = """
            var name = "x";
            var a = Input(name);
            var b = Inputs("y");
            var c = MyInput("z");
            """;

        Assert.Empty(ScriptReferenceScanner.Scan(script));
    }
}
