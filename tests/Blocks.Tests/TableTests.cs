using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

public sealed class TableTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Order(long OrderId, DateOnly OrderDate, string Customer, decimal Amount, string? Note, IReadOnlyList<string> Tags);

    public sealed record Sale(string Customer, double Amount);

    [Fact]
    public void Records_round_trip_through_parquet_with_their_types()
    {
        Order[] orders =
        [
            new(1, new DateOnly(2026, 1, 2), "Ada", 12.5m, null, ["new"]),
            new(2, new DateOnly(2026, 1, 3), "Grace", 1234.567m, "rush", []),
        ];

        var table = Write(orders);

        Assert.Equal(
            ["order_id BIGINT", "order_date DATE", "customer VARCHAR", "amount DECIMAL(7,3)", "note VARCHAR", "tags JSON"],
            table.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal(2, table.CountRows());
        var read = table.Rows<Order>().ToList();
        Assert.Equal(orders[1] with { Tags = read[1].Tags }, read[1]);
        Assert.Equal(["new"], read[0].Tags);
        Assert.Null(read[0].Note);
        Assert.Equal(12.5m, read[0].Amount);
    }

    [Fact]
    public void Rows_stream_lazily_and_stop_at_cancellation()
    {
        var table = Write(Enumerable.Range(0, 10_000).Select(i => new Sale($"c{i}", i)));
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        var stopped = Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in table.Rows<Sale>(cancel.Token))
            {
                if (++seen == 5)
                {
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(5, seen);
        Assert.Equal(cancel.Token, stopped.CancellationToken);
    }

    [Fact]
    public void Columns_map_to_properties_by_snake_case_name_whatever_the_source_naming()
    {
        var csv = _folder.Write("sales.csv", "Customer,Amount\nAda,1.5\n");
        var parquet = _folder.PathOf("sales.parquet");
        using (var connection = DuckDb.Open())
        {
            DuckDb.Execute(connection, $"copy (select * from read_csv('{csv}')) to '{parquet}' (format parquet)");
        }

        var sale = Assert.Single(new Table(parquet).Rows<Sale>());

        Assert.Equal(new Sale("Ada", 1.5), sale);
    }

    [Fact]
    public void Dictionary_rows_become_a_table_with_columns_found_in_the_data()
    {
        var rows = new[] { new Dictionary<string, object?> { ["id"] = 1, ["name"] = "a" }, new Dictionary<string, object?> { ["id"] = 2, ["name"] = null } };

        var value = BlockValue.FromResult(rows, "b", _folder.PathOf("work"), asJson: false, CancellationToken.None);

        Assert.True(value.IsTable);
        Assert.Equal("""[{"id":1,"name":"a"},{"id":2,"name":null}]""", value.AsJson().GetRawText());
    }

    public static TheoryData<object?> NotTables => new()
    {
        new List<int> { 1, 2, 3 },
        new List<string> { "x" },
        new List<DateOnly> { new(2026, 1, 1) },
        "text",
        42,
        new Sale("a", 1),
        new Dictionary<string, int> { ["a"] = 1 },
        JsonDocument.Parse("""[{"a":1}]""").RootElement.Clone(),
        null,
    };

    [Theory]
    [MemberData(nameof(NotTables))]
    public void Scalars_single_objects_lists_of_scalars_and_json_stay_json(object? result)
    {
        var value = BlockValue.FromResult(result, "b", _folder.Root, asJson: false, CancellationToken.None);

        Assert.False(value.IsTable);
        Assert.Equal(JsonSerializer.Serialize(result, BlockJson.Options), value.Json.GetRawText());
    }

    [Fact]
    public void A_fan_out_block_keeps_its_records_as_a_json_list()
    {
        var value = BlockValue.FromResult(new[] { new Sale("a", 1) }, "b", _folder.Root, asJson: true, CancellationToken.None);

        Assert.False(value.IsTable);
        Assert.Equal("""[{"customer":"a","amount":1}]""", value.Json.GetRawText());
    }

    [Fact]
    public void An_empty_sequence_of_records_is_an_empty_table_with_its_columns()
    {
        var table = Write(Array.Empty<Sale>());

        Assert.Equal(0, table.CountRows());
        Assert.Equal(["customer", "amount"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_row_that_does_not_convert_names_the_columns_and_fails_without_retry()
    {
        var table = Write([new Sale("a", 1)]);

        var error = Assert.Throws<NonRetryableBlockException>(() => table.Rows<int>().ToList());

        Assert.Contains("customer VARCHAR, amount DOUBLE", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("row 1, with columns", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read as int", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_files_read_as_one_table()
    {
        var first = Write([new Sale("a", 1)]);
        var second = Write([new Sale("b", 2), new Sale("c", 3)]);

        var both = new Table([.. first.Files, .. second.Files]);

        Assert.Equal(["a", "b", "c"], both.Rows<Sale>().Select(s => s.Customer));
    }

    [Fact]
    public void Text_replacement_masks_values_in_text_columns_and_leaves_a_clean_table_alone()
    {
        var table = Write([new Order(1, new DateOnly(2026, 1, 2), "key-123 and key-1234", 1m, "key-1234", ["key-123"])]);
        var clean = Write([new Sale("nobody", 1)]);

        var masked = table.WithTextReplaced(["key-1234", "key-123"], "***", _folder.PathOf("masked.parquet"));

        Assert.Same(clean, clean.WithTextReplaced(["key-1234"], "***", _folder.PathOf("unused.parquet")));
        Assert.False(File.Exists(_folder.PathOf("unused.parquet")));
        Assert.Equal(
            """[{"order_id":1,"order_date":"2026-01-02","customer":"*** and ***","amount":1,"note":"***","tags":["***"]}]""",
            masked.ToJson().GetRawText());
    }

    private Table Write<T>(IEnumerable<T> rows)
    {
        var value = BlockValue.FromResult(rows, "test", _folder.PathOf("work"), asJson: false, CancellationToken.None);
        return value.Table ?? throw new InvalidOperationException("expected a table");
    }
}
