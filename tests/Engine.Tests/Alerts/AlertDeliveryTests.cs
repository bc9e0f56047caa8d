using System.Text.Json;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Tests.Workers;
using Duraflow.Engine.Workers;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>
/// Alerts from a real engine over SQLite to a real HTTP receiver: queued in the commit of the change that caused
/// them, sent once per event, retried on 5xx with backoff and recorded beside the run, and delivered once after the
/// worker that leased them died.
/// </summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private AlertReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private RunPlan Plan(params AlertEvent[] on) => Plans.Of(Plans.Block("load"), Plans.Block("save", "load")) with
    {
        Pipeline = "orders",
        Alerts = [new AlertPlan(on, AlertDestination.Webhook, _receiver.Url, "{{ run.pipeline }} needs a look")],
    };

    [Fact]
    public async Task A_failing_run_sends_one_alert_per_event_with_the_documented_body()
    {
        using var engine = new StepEngine((block, _) => block.Name == "load"
            ? throw new InvalidOperationException("the source table is gone\n   at Load()")
            : Task.FromResult<object?>(1));

        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = 0;
        delivery.Recorded += (_, record) =>
        {
            if (record.Status == AlertDeliveryStatus.Delivered && Interlocked.Increment(ref delivered) == 2)
            {
                recorded.TrySetResult();
            }
        };

        var runId = await engine.StartAsync(Plan(AlertEvent.Started, AlertEvent.Failed, AlertEvent.Succeeded));
        await using (engine.Work(delivery))
        {
            await recorded.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }

        var state = await engine.StoredAsync(runId);
        Assert.Equal(RunStatus.Failed, state.Status);
        // Both may go out in one batch, in either order.
        var received = _receiver.Received.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        Assert.Equal([$"{state.RunId}/alert/0/failed/0", $"{state.RunId}/alert/0/started/0"], received.Select(r => r.Key));
        var failed = JsonDocument.Parse(received[0].Body).RootElement;
        Assert.Equal("failed", failed.GetProperty("event").GetString());
        Assert.Equal("orders", failed.GetProperty("pipeline").GetString());
        Assert.Equal(state.RunId, failed.GetProperty("run_id").GetString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("orders needs a look", failed.GetProperty("message").GetString());
        var block = Assert.Single(failed.GetProperty("failed_blocks").EnumerateArray());
        Assert.Equal("load", block.GetProperty("block").GetString());
        Assert.Equal("InvalidOperationException: the source table is gone", block.GetProperty("error").GetString());
        Assert.True(failed.GetProperty("duration_seconds").GetDouble() >= 0);
        Assert.Equal(received[0].Key, failed.GetProperty("idempotency_key").GetString());

        // Each delivery is recorded on the run, and nothing is left to send.
        var records = await engine.Sqlite.ListAlertsAsync(state.RunId, CancellationToken.None);
        Assert.Equal(
            [(AlertEvent.Failed, AlertDeliveryStatus.Delivered, 1), (AlertEvent.Started, AlertDeliveryStatus.Delivered, 1)],
            records.Select(r => (r.Event, r.Status, r.Attempts)).OrderBy(r => r.Event.ToString(), StringComparer.Ordinal));
        Assert.Empty(await engine.Sqlite.DequeueAsync(WorkQueues.Alerts, 10, TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task A_run_past_its_sla_on_a_manual_clock_raises_sla_missed_once_at_its_time()
    {
        var time = new ManualTime();
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1), time: time);
        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var host = new WorkerHost(engine.Engine, engine.Runner, delivery);
        var plan = Plan(AlertEvent.SlaMissed) with { Sla = TimeSpan.FromMinutes(10) };
        var runId = await engine.StartAsync(plan);
        var startedAt = time.GetUtcNow();
        await host.HandleDeliveredAsync(await engine.DequeueAsync(WorkQueues.Orchestration, TimeSpan.FromMinutes(1)), CancellationToken.None);

        // The run's first block is queued and nobody works it: the run is still going when its SLA passes.
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await engine.Sqlite.DequeueAsync(WorkQueues.Orchestration, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        time.Advance(TimeSpan.FromMilliseconds(1));
        var timer = await engine.DequeueAsync(WorkQueues.Orchestration, TimeSpan.FromMinutes(1));
        await host.HandleDeliveredAsync(timer, CancellationToken.None);
        await delivery.DeliverAsync(await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromMinutes(1)), CancellationToken.None);

        var missed = Assert.Single((await engine.EventsAsync(runId)).OfType<SlaMissed>());
        Assert.Equal((startedAt.AddMinutes(10), "run"), (missed.At, missed.Subject));
        Assert.Equal(RunStatus.Running, (await engine.StoredAsync(runId)).Status);
        var (key, body) = Assert.Single(_receiver.Received);
        Assert.Equal($"{runId}/alert/0/sla_missed/0", key);
        var alert = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("sla_missed", "running"), (alert.GetProperty("event").GetString(), alert.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_receiver_answering_500_twice_then_200_gets_three_deliveries_and_the_run_records_one_success()
    {
        var time = new ManualTime();
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1), time: time);
        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var runId = await engine.StartAsync(Plan(AlertEvent.Cancelled));
        await engine.Engine.CancelAsync(runId, "stopped by a test");
        _receiver.Answer(500, 503);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var work = await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30));
            await delivery.DeliverAsync(work, CancellationToken.None);
            var record = Assert.Single(await engine.Sqlite.ListAlertsAsync(runId, CancellationToken.None));
            Assert.Equal(attempt, record.Attempts);

            // Released for the backoff: not visible before it ends.
            Assert.Empty(await engine.Sqlite.DequeueAsync(WorkQueues.Alerts, 1, TimeSpan.FromSeconds(30), CancellationToken.None));
            time.Advance(AlertSender.Backoff(attempt));
        }

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.Key).Distinct());
        var done = Assert.Single(await engine.Sqlite.ListAlertsAsync(runId, CancellationToken.None));
        Assert.Equal((AlertDeliveryStatus.Delivered, 3, "HTTP 200"), (done.Status, done.Attempts, done.Detail));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_on_and_the_failure_is_recorded()
    {
        var time = new ManualTime();
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1), time: time);
        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var runId = await engine.StartAsync(Plan(AlertEvent.Cancelled));
        await engine.Engine.CancelAsync(runId, "stopped by a test");
        _receiver.Answer([.. Enumerable.Repeat(502, AlertSender.MostAttempts)]);

        for (var attempt = 1; attempt <= AlertSender.MostAttempts; attempt++)
        {
            await delivery.DeliverAsync(await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30)), CancellationToken.None);
            time.Advance(AlertSender.Backoff(attempt));
        }

        var record = Assert.Single(await engine.Sqlite.ListAlertsAsync(runId, CancellationToken.None));
        Assert.Equal((AlertDeliveryStatus.Failed, AlertSender.MostAttempts), (record.Status, record.Attempts));
        Assert.Equal($"HTTP 502 (gave up after {AlertSender.MostAttempts} attempts)", record.Detail);
        Assert.Empty(await engine.Sqlite.DequeueAsync(WorkQueues.Alerts, 1, TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task An_alert_leased_by_a_worker_that_died_is_delivered_once_by_the_next()
    {
        var time = new ManualTime();
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1), time: time);
        var runId = await engine.StartAsync(Plan(AlertEvent.Cancelled));
        await engine.Engine.CancelAsync(runId, "stopped by a test");

        // The first worker leases the alert and dies before sending it; its lease runs out.
        _ = await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(31));

        // The restarted worker, another engine over the same store, delivers it once; a redelivered message of an
        // alert recorded as delivered (a crash between recording and deleting) sends nothing.
        var restarted = AlertDelivery.WithoutSecrets(engine.NewEngine());
        var work = await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30));
        await restarted.DeliverAsync(work, CancellationToken.None);
        await restarted.DeliverAsync(work with { Deliveries = work.Deliveries + 1 }, CancellationToken.None);

        Assert.Equal([$"{runId}/alert/0/cancelled/0"], _receiver.Received.Select(r => r.Key));
    }

    [Fact]
    public async Task A_destination_whose_secret_is_missing_is_recorded_as_failed_without_a_request()
    {
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1));
        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var plan = Plan(AlertEvent.Cancelled) with { Alerts = [new AlertPlan([AlertEvent.Cancelled], AlertDestination.Slack, "{{ secrets.slack_hook }}", null)] };
        var runId = await engine.StartAsync(plan);
        await engine.Engine.CancelAsync(runId, "stopped by a test");

        await delivery.DeliverAsync(await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30)), CancellationToken.None);

        var record = Assert.Single(await engine.Sqlite.ListAlertsAsync(runId, CancellationToken.None));
        Assert.Equal((AlertDeliveryStatus.Failed, AlertDestination.Slack), (record.Status, record.Destination));
        Assert.Contains("secret 'slack_hook'", record.Detail, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task A_run_purged_before_its_alert_is_sent_sends_nothing()
    {
        using var engine = new StepEngine((_, _) => Task.FromResult<object?>(1));
        var delivery = AlertDelivery.WithoutSecrets(engine.Engine);
        var runId = await engine.StartAsync(Plan(AlertEvent.Cancelled));
        await engine.Engine.CancelAsync(runId, "stopped by a test");
        var work = await engine.DequeueAsync(WorkQueues.Alerts, TimeSpan.FromSeconds(30));

        await delivery.DeliverAsync(work with { RunId = "no-such-run" }, CancellationToken.None);

        Assert.Empty(_receiver.Received);
    }

    [Theory]
    [InlineData("https://flows.example.com", "https://flows.example.com/runs/r%201")]
    [InlineData("https://example.com/duraflow", "https://example.com/duraflow/runs/r%201")]
    public void The_dashboard_link_is_the_runs_page_under_the_configured_url(string configured, string expected) =>
        Assert.Equal(expected, AlertSettings.For(new Uri(configured), _ => null).RunLink("r 1")!.AbsoluteUri);

    [Fact]
    public void Without_a_configured_url_the_link_is_the_azure_app_or_none()
    {
        Assert.Equal("https://flows.example.com/", AlertSettings.For(null, n => n == AlertSettings.DashboardUrlVariable ? "https://flows.example.com" : null).DashboardUrl!.ToString());
        Assert.Equal("https://app-1.azurewebsites.net/", AlertSettings.For(null, n => n == "WEBSITE_HOSTNAME" ? "app-1.azurewebsites.net" : null).DashboardUrl!.ToString());
        Assert.Null(AlertSettings.For(null, _ => null).RunLink("r1"));
        var wrong = Assert.Throws<StoreSettingsException>(() => AlertSettings.For(null, n => n == AlertSettings.DashboardUrlVariable ? "http://flows.example.com" : null));
        Assert.Contains("DURAFLOW_DASHBOARD_URL 'http://flows.example.com' must be an https:// URL", wrong.Message, StringComparison.Ordinal);
    }
}
