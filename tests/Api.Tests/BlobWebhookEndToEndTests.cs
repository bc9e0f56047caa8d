using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Triggers.BlobEvents;
using Duraflow.Api.Triggers;
using Duraflow.Tests;

namespace Duraflow.Api.Tests;

/// <summary>
/// From an Event Grid webhook body to a finished run on a real engine (SQLite): the webhook reads deliveries, the
/// dispatcher starts their runs. The project is the Engine tests' <see cref="BlobProject"/>, whose csv.read block only
/// succeeds when the event's values reached it.
/// </summary>
public sealed class BlobWebhookEndToEndTests
{
    private const string OrdersTrigger = "{ connection: lake, container: landing, prefix: orders/, suffix: .csv }";

    private static async Task<RunState> FinishAsync(BlobProject project, string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await project.Local.RunUntilFinishedAsync(runId, null, limit.Token);
    }

    [Fact]
    public async Task A_webhook_delivery_starts_a_run_and_a_malformed_one_is_400_and_starts_none()
    {
        using var project = new BlobProject(("orders", OrdersTrigger));
        project.WriteData("landing/orders/2026-11-24.csv", "id\n1\n");
        var headers = new Dictionary<string, string> { ["aeg-event-type"] = "Notification" };

        var bad = EventGridWebhook.Handle("POST", headers, "[{\"eventType\": \"Microsoft.Storage.BlobCreated\", \"id\": 7}]");
        var good = EventGridWebhook.Handle("POST", headers, Payloads.Array(Payloads.EventGrid()));
        var results = await project.Dispatcher().DispatchAsync(bad.Events.Concat(good.Events));

        Assert.Equal(400, bad.Status);
        Assert.Contains("$[0].id", bad.Body, StringComparison.Ordinal);
        Assert.Equal(200, good.Status);
        var started = Assert.Single(results);
        Assert.Equal(RunStatus.Succeeded, (await FinishAsync(project, started.RunId!)).Status);
        Assert.Equal(1, await project.RunCountAsync());
    }
}
