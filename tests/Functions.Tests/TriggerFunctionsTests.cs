using System.Text;
using System.Text.Json;
using Duraflow.Api;
using Duraflow.Api.Workers;
using Duraflow.Engine.Storage;
using Duraflow.Tests;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The schedule (timer) and blob-event (queue) functions, called as the worker calls them: they start the runs their
/// pipelines' triggers ask for, through the same handlers <c>duraflow serve</c> uses.
/// </summary>
public sealed class TriggerFunctionsTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly Clock _clock = new(new DateTimeOffset(2026, 11, 24, 6, 0, 30, TimeSpan.Zero));

    public TriggerFunctionsTests()
    {
        _project.Write("pipelines/every_minute/pipeline.yaml",
            "name: every_minute\ntriggers:\n  - schedule: { cron: \"* * * * *\" }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/every_minute/blocks/a.csx", "return 1;\n");
        _project.Write("pipelines/on_landing/pipeline.yaml",
            "name: on_landing\ntriggers:\n  - blob_created: { container: landing, suffix: .csv }\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/on_landing/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_timer_function_starts_a_due_schedule_once_per_tick()
    {
        await using var app = App();
        var functions = app.Function<TriggerFunctions>();

        await functions.ScheduleAsync(new TimerInfo { IsPastDue = false }, TestDurableClient.Create(), CancellationToken.None);
        var firstSight = await RunsAsync(app);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await functions.ScheduleAsync(new TimerInfo { IsPastDue = false }, TestDurableClient.Create(), CancellationToken.None);
        await app.Function<TriggerFunctions>().ScheduleAsync(new TimerInfo { IsPastDue = true }, TestDurableClient.Create(), CancellationToken.None);

        Assert.Empty(firstSight);
        var run = Assert.Single(await RunsAsync(app));
        Assert.Equal(("every_minute-20261124-060100-sched", "schedule"), (run.RunId, run.Trigger));
    }

    [Fact]
    public async Task The_timer_function_skips_a_paused_pipeline_and_after_resume_follows_its_catch_up()
    {
        await using var app = App();
        var functions = app.Function<TriggerFunctions>();
        var pauses = (ISchedulePauses)(await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None)).Store;
        await functions.ScheduleAsync(new TimerInfo(), TestDurableClient.Create(), CancellationToken.None);
        await pauses.PauseSchedulesAsync(new SchedulePause("every_minute", default, "test", "maintenance"), CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await functions.ScheduleAsync(new TimerInfo(), TestDurableClient.Create(), CancellationToken.None);
        var whilePaused = await RunsAsync(app);
        await pauses.ResumeSchedulesAsync("every_minute", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await functions.ScheduleAsync(new TimerInfo(), TestDurableClient.Create(), CancellationToken.None);

        Assert.Empty(whilePaused);

        // 06:01 to 06:04 are past the two-minute grace, so catch_up (latest) drops them: a tick on time (06:05, 06:06) ran.
        Assert.Equal(["every_minute-20261124-060500-sched", "every_minute-20261124-060600-sched"], (await RunsAsync(app)).Select(r => r.RunId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_blob_events_function_starts_the_matching_pipeline_once_per_event_with_the_blob_in_its_trigger_values()
    {
        await using var app = App();
        var functions = app.Function<TriggerFunctions>();

        // Decoded by the queue extension, or still base64 when it was not: both are read.
        await functions.BlobEventsAsync(EventGridBlobCreated("evt-1", "landing", "in/orders.csv"), TestDurableClient.Create(), CancellationToken.None);
        await functions.BlobEventsAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(EventGridBlobCreated("evt-1", "landing", "in/orders.csv"))), TestDurableClient.Create(), CancellationToken.None);
        await functions.BlobEventsAsync(EventGridBlobCreated("evt-2", "landing", "in/readme.txt"), TestDurableClient.Create(), CancellationToken.None);

        var run = Assert.Single(await RunsAsync(app));
        Assert.Equal(("on_landing", "blob"), (run.Pipeline, run.Trigger));
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        var state = (await local.Committer.Store.GetRunAsync(run.RunId, CancellationToken.None))!.State;
        Assert.Equal("in/orders.csv", state.TriggerValues["blob"].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Under_the_functions_host_the_app_neither_ticks_schedules_nor_polls_queues_itself()
    {
        await using var app = App();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await app.StartAsync(limit.Token);

        // On their own these services run until the app stops; here the host's timer and queue functions do their work,
        // so the scheduler and the backfill pump return at once. The background work keeps store maintenance (none for
        // SQLite) and retention (the audit log's, which has a default), and polls no queue.
        var background = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Microsoft.Extensions.Hosting.BackgroundService>().ToList();
        Assert.Equal(3, background.Count);
        foreach (var service in background.Where(s => s is not EngineBackgroundWork))
        {
            await service.ExecuteTask!.WaitAsync(limit.Token);
        }

        Assert.Empty(await RunsAsync(app));
    }

    private FunctionsApp App() => new(
        _project.Root,
        // The engine's runtime: these tests watch the runs the triggers start, and no Durable host runs here.
        new Dictionary<string, string?> { ["Duraflow:Runtime"] = "duraflow" },
        s => s.AddSingleton<TimeProvider>(_clock));

    private static async Task<IReadOnlyList<RunSummary>> RunsAsync(FunctionsApp app)
    {
        var local = await app.Services.GetRequiredService<SharedEngine>().GetAsync(CancellationToken.None);
        return await local.Committer.Store.ListRunsAsync(new RunQuery(), CancellationToken.None);
    }

    private static string EventGridBlobCreated(string id, string container, string blob) => JsonSerializer.Serialize(new
    {
        id,
        topic = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/lake",
        subject = $"/blobServices/default/containers/{container}/blobs/{blob}",
        eventType = "Microsoft.Storage.BlobCreated",
        eventTime = "2026-11-24T06:00:00Z",
        data = new { api = "PutBlob", contentType = "text/csv", contentLength = 12, blobType = "BlockBlob", url = $"https://lake.blob.core.windows.net/{container}/{blob}", sequencer = "0001", eTag = "0x1" },
        dataVersion = "",
        metadataVersion = "1",
    });

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
