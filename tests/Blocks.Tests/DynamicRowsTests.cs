using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>A script reads a table without declaring a record: rows as dynamic objects or as dictionaries.</summary>
public sealed class DynamicRowsTests(ScriptCompilerFixture fixture) : IClassFixture<ScriptCompilerFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Sale(string Customer, decimal Amount);

    [Fact]
    public async Task Table_rows_read_as_dynamic_objects_and_as_dictionaries()
    {
        const string code = """
            var big = Input<IEnumerable<dynamic>>("sales").Where(row => row.amount > 2m).Select(row => (string)row.customer).ToList();
            var total = Input<Table>("sales").Rows().Sum(row => (decimal)row["amount"]!);
            return new { big, total };
            """;
        var sales = BlockValue.FromResult(new[] { new Sale("Ada", 1.5m), new Sale("Bob", 2.5m), new Sale("Cy", 3m) }, "sales",
            _folder.PathOf("tables"), asJson: false, CancellationToken.None);
        var context = BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["sales"] = sales });

        var output = await fixture.Compiler.Compile("blocks/dynamic.csx", code).RunAsync(context);

        Assert.Equal("""{"big":["Bob","Cy"],"total":7.0}""", output.Json.GetRawText());
    }
}
