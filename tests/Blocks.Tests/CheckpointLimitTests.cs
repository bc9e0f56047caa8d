using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>A block's checkpoints stay watermarks: small values, names the CLI and the API can name, checked as they are set.</summary>
public sealed class CheckpointLimitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_value_too_large_for_a_watermark_fails_the_block_without_retries_and_is_not_staged()
    {
        var context = BlockContexts.Create(_folder.Root);
        var processed = JsonSerializer.SerializeToElement(Enumerable.Range(0, 5000).Select(i => $"landing/file-{i}.csv"));

        var error = Assert.Throws<NonRetryableBlockException>(() => context.SetCheckpoint("seen_files", processed));

        Assert.Contains("checkpoint 'seen_files' is larger than 16384 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(context.CheckpointUpdates);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void A_name_the_cli_could_not_name_fails_the_block(string name)
    {
        var context = BlockContexts.Create(_folder.Root);

        var error = Assert.Throws<NonRetryableBlockException>(() => context.SetCheckpoint(name, JsonSerializer.SerializeToElement(1)));

        Assert.Contains("checkpoint name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_watermark_sized_value_is_staged()
    {
        var context = BlockContexts.Create(_folder.Root);

        context.SetCheckpoint("last_id", JsonSerializer.SerializeToElement(1200));

        Assert.Equal(1200, context.CheckpointUpdates["last_id"].GetInt32());
    }
}
