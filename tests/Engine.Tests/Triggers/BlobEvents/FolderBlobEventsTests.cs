using Duraflow.Engine.Triggers.BlobEvents;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.BlobEvents;

public sealed class FolderBlobEventsTests
{
    private static readonly FolderBlobEventsOptions Fast = new() { SettleTime = TimeSpan.FromMilliseconds(50), RescanInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_file_dropped_under_a_container_folder_raises_a_blob_created_event()
    {
        using var folder = new TempFolder();
        var sink = new EventSink();
        await using var watcher = new FolderBlobEvents(folder.Root, sink.Add, Fast);
        watcher.Start();

        var path = folder.Write("landing/orders/2026-11-24.csv", "id,amount\n1,2.5\n");
        var e = await sink.WaitForAsync("orders/2026-11-24.csv");

        Assert.Equal("landing", e.Container);
        Assert.Null(e.Account);
        Assert.Equal(new FileInfo(path).Length, e.Size);
        Assert.Equal(new Uri(path).AbsoluteUri, e.Url);
        Assert.Equal("text/csv", e.ContentType);
        Assert.StartsWith("file-", e.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_already_there_are_raised_on_start_with_the_same_ids_after_a_restart()
    {
        using var folder = new TempFolder();
        folder.Write("landing/a.csv", "x\n1\n");

        var first = new EventSink();
        await using (var watcher = new FolderBlobEvents(folder.Root, first.Add, Fast))
        {
            watcher.Start();
            await first.WaitForAsync("a.csv");
        }

        var second = new EventSink();
        await using var restarted = new FolderBlobEvents(folder.Root, second.Add, Fast);
        restarted.Start();

        Assert.Equal((await first.WaitForAsync("a.csv")).Id, (await second.WaitForAsync("a.csv")).Id);
    }

    [Fact]
    public async Task A_file_written_anew_gets_a_new_id()
    {
        using var folder = new TempFolder();
        var sink = new EventSink();
        await using var watcher = new FolderBlobEvents(folder.Root, sink.Add, Fast);
        watcher.Start();

        var path = folder.Write("landing/a.csv", "x\n1\n");
        var before = await sink.WaitForAsync("a.csv");
        File.WriteAllText(path, "x\n1\n2\n");
        var after = await sink.WaitForAsync(e => e.Name == "a.csv" && e.Size != before.Size);

        Assert.NotEqual(before.Id, after.Id);
    }

    [Fact]
    public async Task A_file_still_held_open_by_its_writer_is_raised_only_once_closed()
    {
        using var folder = new TempFolder();
        var sink = new EventSink();
        await using var watcher = new FolderBlobEvents(folder.Root, sink.Add, Fast);
        watcher.Start();

        Directory.CreateDirectory(Path.Combine(folder.Root, "landing"));
        var writer = new FileStream(Path.Combine(folder.Root, "landing", "big.csv"), FileMode.Create, FileAccess.Write, FileShare.Read);
        await writer.WriteAsync("x\n1\n"u8.ToArray());
        await writer.FlushAsync();
        // Written after big.csv stopped changing: by the time it is raised, big.csv has settled as long and was only
        // held back because it is open.
        folder.Write("landing/small.csv", "x\n1\n");
        await sink.WaitForAsync("small.csv");

        Assert.DoesNotContain(sink.Events, e => e.Name == "big.csv");
        await writer.DisposeAsync();
        Assert.Equal(4, (await sink.WaitForAsync("big.csv")).Size);
    }

    [Fact]
    public async Task A_failed_handler_gets_the_file_again()
    {
        using var folder = new TempFolder();
        var sink = new EventSink();
        var errors = 0;
        var calls = 0;
        var options = new FolderBlobEventsOptions { SettleTime = Fast.SettleTime, RescanInterval = Fast.RescanInterval, OnError = (_, _) => Interlocked.Increment(ref errors) };
        await using var watcher = new FolderBlobEvents(
            folder.Root,
            (e, ct) => Interlocked.Increment(ref calls) == 1 ? throw new IOException("store unavailable") : sink.Add(e, ct),
            options);
        watcher.Start();

        folder.Write("landing/a.csv", "x\n1\n");
        await sink.WaitForAsync("a.csv");

        Assert.Equal(1, errors);
        Assert.Single(sink.Events);
    }

    [Fact]
    public void EventFor_FileOutsideAContainerFolder_IsNone()
    {
        using var folder = new TempFolder();
        var loose = folder.Write("loose.csv", "x\n");
        var nested = folder.Write("landing/deep/er/a b.csv", "x\n");

        Assert.Null(FolderBlobEvents.EventFor(folder.Root, new FileInfo(loose)));
        var e = FolderBlobEvents.EventFor(folder.Root, new FileInfo(nested))!;
        Assert.Equal(("landing", "deep/er/a b.csv"), (e.Container, e.Name));
    }
}
