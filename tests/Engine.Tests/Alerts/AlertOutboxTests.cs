using System.Text.Json;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Runs;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>The alert messages a committed change carries: one per alert that lists the event, keyed for idempotency.</summary>
public sealed class AlertOutboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private static RunPlan Plan(params AlertPlan[] alerts) => new()
    {
        Pipeline = "orders",
        Blocks = [new BlockPlan { Name = "a", Uses = new Duraflow.Blocks.Catalog.BlockUses(Duraflow.Blocks.Catalog.BlockKind.Script, "a.csx"), Retry = Plans.NoRetry }],
        Alerts = alerts.Length == 0 ? null : alerts,
    };

    [Fact]
    public void Each_alert_that_lists_an_event_gets_one_message_for_it()
    {
        var plan = Plan(
            new AlertPlan([AlertEvent.Failed], AlertDestination.Slack, "{{ secrets.slack }}", null),
            new AlertPlan([AlertEvent.Started, AlertEvent.Failed], AlertDestination.Webhook, "https://hooks.example.com/a", "orders failed"));
        var state = new RunState { RunId = "r1", Round = 1, DefinitionHash = "h1" };

        var items = AlertOutbox.For("r1", state, plan, [new RunStarted(T0), new RunCompleted(T0.AddSeconds(5), RunStatus.Failed, "boom")], T0.AddSeconds(5));

        Assert.Equal(["r1/alert/1/started/1", "r1/alert/0/failed/1", "r1/alert/1/failed/1"], items.Select(i => i.Key));
        Assert.All(items, i => Assert.Equal((WorkQueues.Alerts, "r1", T0.AddSeconds(5)), (i.Queue, i.RunId, i.VisibleAt)));
        var work = JsonSerializer.Deserialize<AlertWork>(items[1].Body, EngineJson.Options)!;
        Assert.Equal(new AlertWork(0, new AlertOccurrence(AlertEvent.Failed, null, null, T0.AddSeconds(5)), 1, "h1"), work with { Snapshot = null });

        // The run as it stood then travels with the alert, so a late delivery tells what happened at the time.
        Assert.Equal(("failed", T0.AddSeconds(5)), (work.Snapshot!.Status, work.Snapshot.EndedAt));
    }

    [Fact]
    public void A_fan_out_retried_in_one_commit_queues_one_retrying_alert()
    {
        var plan = Plan(new AlertPlan([AlertEvent.Retrying], AlertDestination.Webhook, "https://hooks.example.com/a", null));
        RunEvent[] retries = [.. Enumerable.Range(0, 500).Select(i => new BlockRetrying(T0, $"a[{i}]", 2, T0.AddSeconds(5)))];

        var items = AlertOutbox.For("r1", new RunState { RunId = "r1" }, plan, retries, T0);

        Assert.Equal(["r1/alert/0/retrying/0/a/2"], items.Select(i => i.Key));
    }

    [Fact]
    public void A_plan_without_alerts_sends_nothing_and_hashes_as_before()
    {
        Assert.Empty(AlertOutbox.For("r1", new RunState(), Plan(), [new RunCompleted(T0, RunStatus.Failed, "boom")], T0));
        Assert.DoesNotContain("alerts", JsonSerializer.Serialize(Plan(), EngineJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_are_pinned_with_the_plan_and_read_back_as_they_were()
    {
        var plan = Plan(new AlertPlan([AlertEvent.Retrying, AlertEvent.SlaMissed], AlertDestination.Teams, "{{ env.TEAMS }}", "late: {{ run.id }}"));

        var read = JsonSerializer.Deserialize<RunPlan>(JsonSerializer.Serialize(plan, EngineJson.Options), EngineJson.Options)!;

        var alert = Assert.Single(read.Alerts!);
        Assert.Equal([AlertEvent.Retrying, AlertEvent.SlaMissed], alert.On);
        Assert.Equal((AlertDestination.Teams, "{{ env.TEAMS }}", "late: {{ run.id }}"), (alert.Destination, alert.Url, alert.Message));
    }
}
