using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Backfills, the same on every store: added once, listed newest first, changed only under the version read.</summary>
public abstract partial class StoreConformanceTests
{
    private IBackfills Backfills => Store;

    private static Backfill NewBackfill(string id, string pipeline, int minutes) => new()
    {
        Id = id, Pipeline = pipeline, Schedule = 1, Cron = "0 6 * * *", TimeZone = "Europe/Berlin", From = T0, To = T0.AddDays(30),
        CreatedAt = T0.AddMinutes(minutes), CreatedBy = "cli:ada", Total = 30, Concurrency = 2,
        Parameters = new Dictionary<string, System.Text.Json.JsonElement> { ["region"] = System.Text.Json.JsonSerializer.SerializeToElement("eu") },
    };

    [Fact]
    public async Task Backfills_are_listed_newest_first_and_change_only_under_the_version_read()
    {
        await Backfills.AddBackfillAsync(NewBackfill("daily-bf-1", "daily", 0), CancellationToken.None);
        await Backfills.AddBackfillAsync(NewBackfill("daily-bf-2", "daily", 1), CancellationToken.None);
        await Backfills.AddBackfillAsync(NewBackfill("other-bf-1", "other", 2), CancellationToken.None);

        var read = (await Backfills.GetBackfillAsync("daily-bf-1", CancellationToken.None))!;
        var moved = read.Backfill with { Started = 2, Done = 1, Succeeded = 1 };
        Assert.True(await Backfills.TryUpdateBackfillAsync(moved, read.Version, CancellationToken.None));
        Assert.False(await Backfills.TryUpdateBackfillAsync(moved with { Started = 3 }, read.Version, CancellationToken.None));
        var finished = (await Backfills.GetBackfillAsync("daily-bf-1", CancellationToken.None))!;
        Assert.True(await Backfills.TryUpdateBackfillAsync(finished.Backfill with { Status = BackfillStatus.Finished }, finished.Version, CancellationToken.None));

        Assert.Equal("eu", read.Backfill.Parameters["region"].GetString());
        Assert.Equal((2, 1, 1), (finished.Backfill.Started, finished.Backfill.Done, finished.Backfill.Succeeded));
        Assert.Null(await Backfills.GetBackfillAsync("nope", CancellationToken.None));
        Assert.Equal(["other-bf-1", "daily-bf-2", "daily-bf-1"], (await Backfills.ListBackfillsAsync(null, false, CancellationToken.None)).Select(b => b.Backfill.Id));
        Assert.Equal(["daily-bf-2", "daily-bf-1"], (await Backfills.ListBackfillsAsync("daily", false, CancellationToken.None)).Select(b => b.Backfill.Id));
        Assert.Equal(["other-bf-1", "daily-bf-2"], (await Backfills.ListBackfillsAsync(null, true, CancellationToken.None)).Select(b => b.Backfill.Id));
    }
}
