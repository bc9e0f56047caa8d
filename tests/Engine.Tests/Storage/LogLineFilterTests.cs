using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Which log lines a reader sees, and in what order.</summary>
public sealed class LogLineFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_come_in_time_order_from_the_minimum_level_up_and_unknown_levels_are_kept()
    {
        // As a store returns them: grouped by block, so b's early line comes after a's late one.
        LogLine[] stored =
        [
            new(T0.AddSeconds(3), "a", 1, "error", "a failed"),
            new(T0.AddSeconds(3), "a", 1, "debug", "a's trace"),
            new(T0.AddSeconds(1), "b", 1, "information", "b started"),
            new(T0.AddSeconds(2), "b", 1, "shout", "from a newer version"),
        ];

        Assert.Equal(["b started", "from a newer version", "a failed"], LogLineFilter.Select(stored).Select(l => l.Message));
        Assert.Equal(["b started", "from a newer version", "a failed", "a's trace"], LogLineFilter.Select(stored, "Debug").Select(l => l.Message));
        Assert.Equal(["from a newer version", "a failed"], LogLineFilter.Select(stored, "error").Select(l => l.Message));
        Assert.Throws<ArgumentException>(() => LogLineFilter.Select(stored, "loud"));
    }
}
