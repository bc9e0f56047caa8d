using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Alert deliveries beside the run, the same on every store: replaced per key, listed in order, purged with it.</summary>
public abstract partial class StoreConformanceTests
{
    private IAlertRecords Alerts => (IAlertRecords)Store;

    [Fact]
    public async Task Alert_deliveries_are_replaced_by_key_listed_in_the_order_they_began_and_purged_with_the_run()
    {
        await FinishAsync("old-ok", Old);
        var failed = new AlertRecord("old-ok/alert/0/failed/0", AlertEvent.Failed, AlertDestination.Slack, null, AlertDeliveryStatus.Retrying, 1, "HTTP 500: busy", T0);
        var retry = new AlertRecord("old-ok/alert/1/retrying/0/a/2", AlertEvent.Retrying, AlertDestination.Webhook, "a", AlertDeliveryStatus.Delivered, 1, "HTTP 200", T0.AddSeconds(1));

        await Alerts.RecordAlertAsync("old-ok", failed, CancellationToken.None);
        await Alerts.RecordAlertAsync("old-ok", retry, CancellationToken.None);
        await Alerts.RecordAlertAsync("old-ok", failed with { Status = AlertDeliveryStatus.Delivered, Attempts = 3, Detail = "HTTP 200", At = T0.AddSeconds(30) }, CancellationToken.None);

        Assert.Equal(
            [failed with { Status = AlertDeliveryStatus.Delivered, Attempts = 3, Detail = "HTTP 200", At = T0.AddSeconds(30) }, retry],
            await Alerts.ListAlertsAsync("old-ok", CancellationToken.None));
        Assert.Empty(await Alerts.ListAlertsAsync("another", CancellationToken.None));
        Assert.Equal(retry, await Alerts.GetAlertAsync("old-ok", retry.Key, CancellationToken.None));
        Assert.Null(await Alerts.GetAlertAsync("old-ok", "old-ok/alert/9/failed/0", CancellationToken.None));

        await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Empty(await Alerts.ListAlertsAsync("old-ok", CancellationToken.None));
        Assert.Null(await Alerts.GetAlertAsync("old-ok", retry.Key, CancellationToken.None));
    }
}
