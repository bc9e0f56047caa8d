using System.Numerics;
using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// Integers stay integers and decimals keep every digit on their way through tables: a SQL block's sum(), rows a C#
/// block returns as records or dictionaries, and the CSV and JSON written from them.
/// </summary>
public sealed class ExactNumberTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Order(long OrderId, string Customer, decimal Amount);

    public sealed record Ledger(string Account, decimal Balance, BigInteger Units);

    [Fact]
    public async Task A_sum_of_integers_is_a_bigint_and_a_sum_of_decimals_keeps_its_scale_in_the_table_csv_and_json()
    {
        var context = Context(Orders(new(1, "Ada", 10.25m), new(2, "Ada", 5.25m), new(3, "Bob", 1.10m)));

        var totals = await EmbeddedSqlBlock.RunAsync("sql/totals.sql",
            "select customer, sum(order_id) as ids, sum(amount) as total, count(*) as orders from {{ blocks.orders }} group by customer order by customer", context);
        var downstream = BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["totals"] = totals });
        await RunAsync("csv.write", """{"path": "out/totals.csv"}""", downstream);
        await RunAsync("json.write", """{"path": "out/totals.json"}""", downstream);

        Assert.Equal(["customer VARCHAR", "ids BIGINT", "total DECIMAL(38,2)", "orders BIGINT"], totals.Table!.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal("customer,ids,total,orders\nAda,3,15.50,2\nBob,3,1.10,1\n", File.ReadAllText(_folder.PathOf("out/totals.csv")));
        Assert.Equal(
            """[{"customer":"Ada","ids":3,"total":15.50,"orders":2},{"customer":"Bob","ids":3,"total":1.10,"orders":1}]""",
            JsonSerializer.Serialize(JsonDocument.Parse(File.ReadAllText(_folder.PathOf("out/totals.json"))).RootElement));
    }

    [Fact]
    public async Task A_sum_beyond_bigint_is_a_whole_decimal_with_every_digit()
    {
        var context = Context(Orders(new(long.MaxValue, "Ada", 1m), new(10, "Ada", 1m)));

        var total = await EmbeddedSqlBlock.RunAsync("sql/total.sql", "select sum(order_id) as ids from {{ blocks.orders }}", context);

        Assert.Equal("ids DECIMAL(38,0)", $"{total.Table!.Columns[0].Name} {total.Table.Columns[0].Type}");
        Assert.Equal("""[{"ids":9223372036854775817}]""", total.AsJson().GetRawText());
    }

    [Fact]
    public void Record_decimals_keep_digits_a_double_would_lose_and_big_integers_become_bigint_or_decimal()
    {
        Ledger[] rows = [new("a", 12345678901234567.89m, 7), new("b", -0.01m, BigInteger.Pow(10, 30))];

        var table = Write(rows);

        Assert.Equal(["account VARCHAR", "balance DECIMAL(19,2)", "units DECIMAL(38,0)"], table.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal(rows, table.Rows<Ledger>());
        Assert.Equal("units BIGINT", Write([new Ledger("a", 1m, 7)]).Columns.Select(c => $"{c.Name} {c.Type}").Last());
    }

    [Fact]
    public void Dictionary_rows_with_decimals_and_big_integers_keep_them_exact()
    {
        var rows = new[]
        {
            new Dictionary<string, object?> { ["account"] = "a", ["balance"] = 12345678901234567.89m, ["total"] = 22m, ["units"] = new BigInteger(5), ["ratio"] = 0.5 },
            new Dictionary<string, object?> { ["account"] = "b", ["balance"] = null, ["total"] = 3m, ["units"] = null, ["ratio"] = 1.0 },
        };

        var table = Write(rows);

        Assert.Equal(
            ["account VARCHAR", "balance DECIMAL(19,2)", "total BIGINT", "units BIGINT", "ratio DOUBLE"],
            table.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal(
            """[{"account":"a","balance":12345678901234567.89,"total":22,"units":5,"ratio":0.5},{"account":"b","balance":null,"total":3,"units":null,"ratio":1}]""",
            table.ToJson().GetRawText());
    }

    [Fact]
    public void A_big_integer_is_a_json_number()
    {
        Assert.Equal("""{"units":100000000000000000000}""", BlockJson.ToElement(new { Units = BigInteger.Pow(10, 20) }).GetRawText());
        Assert.Equal(BigInteger.Pow(10, 20), JsonSerializer.Deserialize<BigInteger>("100000000000000000000", BlockJson.Options));
    }

    private BlockContext Context(BlockValue orders) =>
        BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["orders"] = orders });

    private BlockValue Orders(params Order[] orders) =>
        BlockValue.FromResult(orders, "orders", _folder.PathOf("tables"), asJson: false, CancellationToken.None);

    private Table Write<T>(IEnumerable<T> rows) =>
        BlockValue.FromResult(rows, "rows", _folder.PathOf("tables"), asJson: false, CancellationToken.None).Table
            ?? throw new InvalidOperationException("expected a table");

    private static async Task<BlockValue> RunAsync(string id, string with, BlockContext context)
    {
        var block = BuiltInBlocks.Find(id)!;
        using var document = JsonDocument.Parse(with);
        return await block.Run(await BlockSettings.CreateAsync(document.RootElement.Clone(), block, context), context);
    }
}
