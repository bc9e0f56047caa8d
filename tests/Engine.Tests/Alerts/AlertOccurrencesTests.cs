using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>Which committed events are alert events, and the key each delivery carries.</summary>
public sealed class AlertOccurrencesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Starts_ends_by_status_and_retries_are_alert_events_and_nothing_else_is()
    {
        RunEvent[] events =
        [
            new RunRequested(T0, "r1", "p", "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "http"),
            new RunStarted(T0),
            new BlockScheduled(T0, "a", 1),
            new BlockRetrying(T0.AddSeconds(1), "a", 2, T0.AddSeconds(5)),
            new RunCompleted(T0.AddSeconds(9), RunStatus.Failed, "a failed"),
        ];

        var found = AlertOccurrences.Of(events).ToList();

        Assert.Equal(
            [
                new AlertOccurrence(AlertEvent.Started, null, null, T0),
                new AlertOccurrence(AlertEvent.Retrying, "a", 2, T0.AddSeconds(1)),
                new AlertOccurrence(AlertEvent.Failed, null, null, T0.AddSeconds(9)),
            ],
            found);
    }

    [Fact]
    public void Items_of_a_block_run_per_item_share_one_retrying_alert_per_attempt()
    {
        RunEvent[] retries = [.. Enumerable.Range(0, 1000).Select(i => new BlockRetrying(T0, $"each[{i}]", 2, T0.AddSeconds(5)))];

        var keys = AlertOccurrences.Of(retries).Select(o => AlertOccurrences.Key("r1", 0, o, 0)).Distinct().ToList();

        Assert.Equal(["r1/alert/0/retrying/0/each/2"], keys);
    }

    [Fact]
    public void Each_end_is_its_own_event()
    {
        Assert.Equal(AlertEvent.Succeeded, Assert.Single(AlertOccurrences.Of([new RunCompleted(T0, RunStatus.Succeeded, null)])).Event);
        Assert.Equal(AlertEvent.Cancelled, Assert.Single(AlertOccurrences.Of([new RunCompleted(T0, RunStatus.Cancelled, null)])).Event);
    }

    [Fact]
    public void Keys_tell_apart_alerts_events_rounds_blocks_and_attempts_and_repeat_for_the_same_one()
    {
        var retry = new AlertOccurrence(AlertEvent.Retrying, "load[3]", 2, T0);
        var failed = new AlertOccurrence(AlertEvent.Failed, null, null, T0);

        Assert.Equal("r1/alert/0/retrying/0/load[3]/2", AlertOccurrences.Key("r1", 0, retry, 0));
        Assert.Equal("r1/alert/1/failed/2", AlertOccurrences.Key("r1", 1, failed, 2));
        Assert.Equal(AlertOccurrences.Key("r1", 1, failed, 2), AlertOccurrences.Key("r1", 1, failed with { At = T0.AddHours(1) }, 2));
        Assert.Equal("r1/alert/0/sla_missed/0", AlertOccurrences.Key("r1", 0, new AlertOccurrence(AlertEvent.SlaMissed, null, null, T0), 0));
    }
}
