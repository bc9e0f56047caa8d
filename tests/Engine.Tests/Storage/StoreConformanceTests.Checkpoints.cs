using System.Text.Json;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Checkpoints set, listed and reset by hand, the same on every store.</summary>
public abstract partial class StoreConformanceTests
{
    private ICheckpoints Checkpoints => Store;

    [Fact]
    public async Task Checkpoints_are_set_listed_by_pipeline_and_reset_one_or_all()
    {
        await Checkpoints.SetCheckpointAsync("sales", "last_id", JsonSerializer.SerializeToElement(1200), CancellationToken.None);
        await Checkpoints.SetCheckpointAsync("sales", "files|since/2026", JsonSerializer.SerializeToElement("2026-11-01T00:00:00Z"), CancellationToken.None);
        await Checkpoints.SetCheckpointAsync("sales_eu", "last_id", JsonSerializer.SerializeToElement(7), CancellationToken.None);
        await Checkpoints.SetCheckpointAsync("sales", "last_id", JsonSerializer.SerializeToElement(1300), CancellationToken.None);

        var listed = await Checkpoints.ListCheckpointsAsync("sales", CancellationToken.None);
        Assert.Equal(["files|since/2026", "last_id"], listed.Select(c => c.Name));
        Assert.Equal("1300", listed[1].Value.GetRawText());
        Assert.Equal(1300, (await Store.GetCheckpointAsync("sales", "last_id", CancellationToken.None))!.Value.GetInt32());

        Assert.Equal(1, await Checkpoints.DeleteCheckpointsAsync("sales", "last_id", CancellationToken.None));
        Assert.Equal(0, await Checkpoints.DeleteCheckpointsAsync("sales", "last_id", CancellationToken.None));
        Assert.Null(await Store.GetCheckpointAsync("sales", "last_id", CancellationToken.None));
        Assert.Equal(1, await Checkpoints.DeleteCheckpointsAsync("sales", null, CancellationToken.None));
        Assert.Empty(await Checkpoints.ListCheckpointsAsync("sales", CancellationToken.None));
        Assert.Equal(["last_id"], (await Checkpoints.ListCheckpointsAsync("sales_eu", CancellationToken.None)).Select(c => c.Name));
    }
}
