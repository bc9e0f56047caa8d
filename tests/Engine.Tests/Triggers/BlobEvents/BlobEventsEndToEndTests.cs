using Duraflow.Engine.Runs;
using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

/// <summary>
/// From a queue message, webhook body or dropped file to a finished run on a real engine (SQLite). The pipeline's
/// csv.read block reads <c>data/{{ trigger.blob.container }}/{{ trigger.blob.name }}</c>, so a run only succeeds when the
/// event's values reached the block.
/// </summary>
public sealed class BlobEventsEndToEndTests
{
    private const string OrdersTrigger = "{ connection: lake, container: landing, prefix: orders/, suffix: .csv }";

    private static async Task<RunState> FinishAsync(BlobProject project, string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await project.Local.RunUntilFinishedAsync(runId, null, limit.Token);
    }

    [Fact]
    public async Task A_queued_event_starts_one_run_that_reads_the_blob_and_nothing_else_starts_one()
    {
        using var project = new BlobProject(("orders", OrdersTrigger));
        project.WriteData("landing/orders/2026-11-24.csv", "id,amount\n1,2.5\n2,4\n");
        var dispatcher = project.Dispatcher(new Dictionary<string, string> { ["lake"] = "stlanding" });

        // Event Grid → Storage Queue writes base64; the same event redelivered as plain text must not start again.
        var started = Assert.Single(await dispatcher.DispatchAsync(BlobEventParser.Parse(Payloads.Base64(Payloads.EventGrid()))));
        var final = await FinishAsync(project, started.RunId!);
        var again = Assert.Single(await dispatcher.DispatchAsync(BlobEventParser.Parse(Payloads.EventGrid())));
        var elsewhere = Assert.Single(await dispatcher.DispatchAsync(BlobEventParser.Parse(Payloads.EventGrid(id: "other", name: "returns/2026-11-24.csv"))));
        Assert.Throws<BlobEventFormatException>(() => BlobEventParser.Parse("{\"eventType\": \"Microsoft.Storage.BlobCreated\""));

        Assert.Equal(BlobDispatchOutcome.Started, started.Outcome);
        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal((BlobDispatchOutcome.Duplicate, started.RunId), (again.Outcome, again.RunId));
        Assert.Equal(BlobDispatchOutcome.NoMatch, elsewhere.Outcome);
        Assert.Equal(1, await project.RunCountAsync());
    }

    [Fact]
    public async Task The_block_reads_the_blob_the_event_names()
    {
        using var project = new BlobProject(("orders", OrdersTrigger));
        project.WriteData("landing/orders/present.csv", "id\n1\n");

        // The event names a blob with no file behind it: the block must look for exactly that name, and fail.
        var result = Assert.Single(await project.Dispatcher().DispatchAsync(BlobEventParser.Parse(Payloads.CloudEvent(name: "orders/absent.csv"))));
        var final = await FinishAsync(project, result.RunId!);

        Assert.Equal(RunStatus.Failed, final.Status);
    }

    [Fact]
    public async Task A_file_dropped_in_the_local_folder_starts_a_run_once_even_across_restarts()
    {
        using var project = new BlobProject(("orders", OrdersTrigger));
        var options = new FolderBlobEventsOptions { SettleTime = TimeSpan.FromMilliseconds(50), RescanInterval = TimeSpan.FromMilliseconds(200) };

        async Task<BlobDispatchResult> WatchUntilDispatchedAsync(bool drop)
        {
            var dispatched = new TaskCompletionSource<BlobDispatchResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = project.Dispatcher();
            await using var watcher = new FolderBlobEvents(project.DataFolder, async (e, ct) =>
            {
                foreach (var result in await dispatcher.DispatchAsync([e], ct))
                {
                    dispatched.TrySetResult(result);
                }
            }, options);
            watcher.Start();
            if (drop)
            {
                project.WriteData("landing/orders/dropped.csv", "id\n1\n");
            }

            return await dispatched.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var first = await WatchUntilDispatchedAsync(drop: true);
        var final = await FinishAsync(project, first.RunId!);
        // The restarted watcher finds the same file, unchanged, in its first scan.
        var afterRestart = await WatchUntilDispatchedAsync(drop: false);

        Assert.Equal((BlobDispatchOutcome.Started, RunStatus.Succeeded), (first.Outcome, final.Status));
        Assert.Equal("orders/dropped.csv", final.TriggerValues["blob"].GetProperty("name").GetString());
        Assert.Equal((BlobDispatchOutcome.Duplicate, first.RunId), (afterRestart.Outcome, afterRestart.RunId));
        Assert.Equal(1, await project.RunCountAsync());
    }
}
