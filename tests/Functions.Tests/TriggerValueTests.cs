using System.Globalization;

namespace Duraflow.Functions.Tests;

/// <summary>Binding-data times, in the forms the host may send them: ISO text (JSON-quoted or not), or a typed value.</summary>
public sealed class TriggerValueTests
{
    private static readonly DateTimeOffset Inserted = new(2026, 12, 7, 2, 30, 15, TimeSpan.Zero);

    public static TheoryData<object?> Forms() =>
    [
        Inserted.ToString("O", CultureInfo.InvariantCulture),
        $"\"{Inserted.ToString("O", CultureInfo.InvariantCulture)}\"",
        "Mon, 07 Dec 2026 02:30:15 GMT",
        Inserted,
        Inserted.UtcDateTime,
    ];

    [Theory]
    [MemberData(nameof(Forms))]
    public void An_insertion_time_is_read_in_any_form_the_host_sends(object? value)
    {
        var data = new Dictionary<string, object?> { ["insertionTime"] = value };

        Assert.Equal(Inserted, TriggerValue.Time(data, "InsertionTime"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a time")]
    [InlineData(42)]
    public void A_missing_or_unreadable_time_is_none(object? value)
    {
        Assert.Null(TriggerValue.Time(new Dictionary<string, object?> { ["InsertionTime"] = value }, "InsertionTime"));
        Assert.Null(TriggerValue.Time(new Dictionary<string, object?>(), "InsertionTime"));
    }
}
