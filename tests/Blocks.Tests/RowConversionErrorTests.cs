using System.Globalization;
using System.Numerics;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// A row that does not fit the record block code reads it as names the block, the row, the column, the value and the
/// fix, whether the rows are streamed or loaded whole, from a table or from a JSON list.
/// </summary>
public sealed class RowConversionErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Loaded(long OrderId, decimal? Amount, List<int> Lines);

    public sealed record Order(long OrderId, decimal Amount);

    public sealed record NarrowOrder(int OrderId);

    public sealed record Line(int Quantity);

    public sealed record OrderLines(long OrderId, List<Line> Lines);

    public sealed class Keyed
    {
        public required long OrderId { get; init; }

        public required string Reference { get; init; }
    }

    public static TheoryData<Type> Shapes => new() { typeof(IEnumerable<Order>), typeof(Order[]), typeof(List<Order>) };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_null_in_a_non_nullable_property_names_the_row_column_and_fix_streamed_or_whole(Type shape)
    {
        var context = Context(Table(new(1, 10m, []), new(2, 5m, []), new(3, null, [])));

        var error = Assert.Throws<NonRetryableBlockException>(() => Read(context, shape));

        Assert.Equal(
            "block test_block: row 3 of input 'orders': column amount is null, which Order.Amount (decimal) cannot hold; make it decimal? or filter out the nulls",
            error.Message);
    }

    [Fact]
    public void A_value_too_large_for_the_property_says_which_type_holds_it()
    {
        var context = Context(Table(new(1, 1m, []), new(3_000_000_000, 1m, [])));

        var error = Assert.Throws<NonRetryableBlockException>(() => Read(context, typeof(IEnumerable<NarrowOrder>)));

        Assert.Equal(
            "block test_block: row 2 of input 'orders': column order_id is 3000000000, which NarrowOrder.OrderId (int) cannot hold; make it long",
            error.Message);
    }

    [Fact]
    public void A_value_nested_inside_a_field_is_located_by_its_path()
    {
        var context = Context(BlockContexts.Json("""[{"order_id": 1, "lines": [{"quantity": 2}, {"quantity": 2.5}]}]"""));

        var error = Assert.Throws<NonRetryableBlockException>(() => Read(context, typeof(OrderLines[])));

        Assert.Equal(
            "block test_block: row 1 of input 'orders': field lines, at lines[1].quantity, is 2.5, which Line.Quantity (int) cannot hold; make it decimal",
            error.Message);
    }

    [Fact]
    public void A_json_list_input_names_the_row_and_field()
    {
        var context = Context(BlockContexts.Json("""[{"order_id": 1, "amount": 1}, {"order_id": 2, "amount": "n/a"}]"""));

        var error = Assert.Throws<NonRetryableBlockException>(() => Read(context, typeof(List<Order>)));

        Assert.Equal(
            "block test_block: row 2 of input 'orders': field amount is \"n/a\", which Order.Amount (decimal) cannot hold; make it string",
            error.Message);
    }

    [Fact]
    public void A_missing_required_column_is_named()
    {
        var context = Context(Table(new Loaded(1, 1m, [])));

        var error = Assert.Throws<NonRetryableBlockException>(() => Read(context, typeof(Keyed[])));

        Assert.Equal(
            "block test_block: row 1 of input 'orders': there is no column reference, which the required Keyed.Reference (string) needs; "
            + "add the column, or make the property optional",
            error.Message);
    }

    [Fact]
    public void A_table_read_by_code_names_the_row_without_a_block()
    {
        var table = Table(new Loaded(1, null, [])).Table!;

        var error = Assert.Throws<NonRetryableBlockException>(() => table.Rows<Order>().ToList());

        Assert.StartsWith("row 1: column amount is null, which Order.Amount (decimal)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_wider_than_a_decimal_is_read_whole_or_named_when_it_has_a_fraction()
    {
        var whole = _folder.PathOf("whole.parquet");
        var fraction = _folder.PathOf("fraction.parquet");
        using (var connection = DuckDb.Open())
        {
            DuckDb.Execute(connection, DuckDb.CopyToParquet("select 123456789012345678901234567890123456::decimal(38,0) as total", whole));
            DuckDb.Execute(connection, DuckDb.CopyToParquet("select 1234567890123456789012345678901.5::decimal(38,1) as total", fraction));
        }

        var read = Assert.Single(new Table(whole).Rows())["total"];
        var table = (Table)BlockInputReader.Input(Context(BlockValue.Of(new Table(fraction))), "orders", typeof(Table))!;
        var error = Assert.Throws<NonRetryableBlockException>(() => table.Rows().ToList());

        Assert.Equal(BigInteger.Parse("123456789012345678901234567890123456", CultureInfo.InvariantCulture), read);
        Assert.StartsWith(
            "block test_block: row 1 of input 'orders': column total holds a number with more digits than a .NET decimal keeps (28) and a fraction; round it",
            error.Message, StringComparison.Ordinal);
    }

    private static object? Read(BlockContext context, Type shape)
    {
        var value = BlockInputReader.Input(context, "orders", shape);
        // A streamed input fails while it is enumerated, as in the block's own loop.
        return value is System.Collections.IEnumerable rows ? rows.Cast<object>().ToList() : value;
    }

    private BlockContext Context(BlockValue orders) =>
        BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["orders"] = orders });

    private BlockValue Table(params Loaded[] rows) =>
        BlockValue.FromResult(rows, "orders", _folder.PathOf("tables"), asJson: false, CancellationToken.None);
}
