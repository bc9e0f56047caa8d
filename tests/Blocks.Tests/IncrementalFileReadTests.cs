using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// with.incremental on the local file readers: by files, each file newer than the watermark is read once (in time,
/// then name order); by column, each row above the last value read. The watermark is what the attempt sets; these
/// tests store it as a successful run would.
/// </summary>
public sealed class IncrementalFileReadTests : IDisposable
{
    // Well in the past, so every file has settled; the settle test lands one now.
    private static readonly DateTime Noon = DateTime.UtcNow.Date.AddDays(-2).AddHours(12);
    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, JsonElement> _stored = new(StringComparer.Ordinal);

    public void Dispose() => _folder.Dispose();

    public sealed record Sale(long Id, string Customer);

    private void Land(string path, string content, DateTime modified)
    {
        _folder.Write(path, content);
        File.SetLastWriteTimeUtc(_folder.PathOf(path), modified);
    }

    // One attempt; what it sets is stored, as the run's success would store it.
    private async Task<(BlockValue Output, BlockContext Context)> ReadAsync(string id, string with)
    {
        var context = BlockContexts.Create(_folder.Root, block: "landed", checkpoints: _stored);
        var block = BuiltInBlocks.Find(id)!;
        using var document = JsonDocument.Parse(with);
        var output = await block.Run(await BlockSettings.CreateAsync(document.RootElement.Clone(), block, context), context);
        foreach (var (name, value) in context.CheckpointUpdates)
        {
            _stored[name] = value;
        }

        return (output, context);
    }

    private static long[] Ids(BlockValue output) => [.. output.Table!.Rows<Sale>().Select(s => s.Id)];

    [Fact]
    public async Task By_files_each_new_file_is_read_once_and_a_run_with_nothing_new_keeps_the_columns()
    {
        const string With = """{"path": "landing/*.csv", "incremental": {"by": "files"}}""";
        Land("landing/b.csv", "id,customer\n2,Bob\n", Noon);
        Land("landing/a.csv", "id,customer\n1,Ada\n", Noon);

        var first = await ReadAsync("csv.read", With);
        Land("landing/c.csv", "id,customer\n3,Cy\n", Noon.AddMinutes(1));
        // Same time as the newest file read, but a later name: new as well.
        Land("landing/d.csv", "id,customer\n4,Di\n", Noon.AddMinutes(1));
        var second = await ReadAsync("csv.read", With);
        var nothingNew = await ReadAsync("csv.read", With);

        Assert.Equal([1, 2], Ids(first.Output).Order());
        Assert.Equal(2, first.Context.Metrics["files_read"]);
        Assert.Equal([3, 4], Ids(second.Output).Order());
        Assert.Equal(0, nothingNew.Output.Table!.CountRows());
        Assert.Equal(["id", "customer"], nothingNew.Output.Table.Columns.Select(c => c.Name));
        Assert.Empty(nothingNew.Context.CheckpointUpdates);
        Assert.Equal(0, nothingNew.Context.Metrics["files_read"]);
        Assert.Equal("landing/d.csv", _stored["landed"].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_file_modified_within_the_settle_time_waits_for_the_next_run_and_holds_the_watermark_back()
    {
        const string With = """{"path": "landing/*.csv", "incremental": {"by": "files", "settle": "1h"}}""";
        Land("landing/a.csv", "id,customer\n1,Ada\n", Noon);
        Land("landing/b.csv", "id,customer\n2,Bob\n", DateTime.UtcNow);

        var first = await ReadAsync("csv.read", With);
        File.SetLastWriteTimeUtc(_folder.PathOf("landing/b.csv"), Noon.AddMinutes(5));
        var second = await ReadAsync("csv.read", With);

        Assert.Equal([1], Ids(first.Output));
        Assert.Equal("landing/a.csv", first.Context.CheckpointUpdates["landed"].GetProperty("name").GetString());
        Assert.Equal([2], Ids(second.Output));
    }

    [Fact]
    public async Task A_failed_run_stores_nothing_so_the_next_attempt_reads_the_same_files()
    {
        const string With = """{"path": "landing/*.json", "incremental": {"by": "files", "checkpoint": "landing_files"}}""";
        Land("landing/a.json", """[{"id": 1, "customer": "Ada"}]""", Noon);

        var (_, lost) = await ReadAsync("json.read", With);
        _stored.Clear();
        var again = await ReadAsync("json.read", With);

        Assert.True(lost.CheckpointUpdates.ContainsKey("landing_files"));
        Assert.Equal([1], Ids(again.Output));
    }

    [Fact]
    public async Task By_column_reads_the_rows_above_the_last_value_read_whatever_file_they_are_in()
    {
        const string With = """{"path": "data/*.csv", "incremental": {"by": "column", "column": "id"}}""";
        Land("data/one.csv", "id,customer\n1,Ada\n2,Bob\n", Noon);

        var first = await ReadAsync("csv.read", With);
        Land("data/one.csv", "id,customer\n1,Ada\n2,Bob\n3,Cy\n", Noon.AddMinutes(1));
        Land("data/two.csv", "id,customer\n4,Di\n", Noon.AddMinutes(1));
        var second = await ReadAsync("csv.read", With);
        var nothingNew = await ReadAsync("csv.read", With);

        Assert.Equal([1, 2], Ids(first.Output));
        Assert.Equal([3, 4], Ids(second.Output).Order());
        Assert.Equal(0, nothingNew.Output.Table!.CountRows());
        Assert.Equal(4, _stored["landed"].GetInt64());
    }

    [Fact]
    public async Task By_column_compares_a_timestamp_watermark_as_a_timestamp()
    {
        const string With = """{"path": "events.csv", "incremental": {"by": "column", "column": "at"}}""";
        Land("events.csv", "id,at\n1,2026-12-07 09:00:00\n2,2026-12-07 10:00:00\n", Noon);

        await ReadAsync("csv.read", With);
        Land("events.csv", "id,at\n1,2026-12-07 09:00:00\n2,2026-12-07 10:00:00\n3,2026-12-07 10:30:00\n", Noon.AddMinutes(1));
        var second = await ReadAsync("csv.read", With);

        Assert.Equal([3], [.. second.Output.AsJson().EnumerateArray().Select(r => r.GetProperty("id").GetInt64())]);
    }

    [Theory]
    [InlineData("""{"by": "column", "column": "nope"}""", "incremental column 'nope' is not in the files; their columns are id, customer")]
    [InlineData("""{"by": "rows"}""", "with.incremental by must be files or column, not 'rows'")]
    [InlineData("""{"by": "files", "column": "id"}""", "takes no column")]
    [InlineData("""{"by": "files", "settle": "soon"}""", "settle must be a duration from 0s to 1h")]
    [InlineData("""{"by": "column", "column": "id", "settle": "5s"}""", "settle waits for files to be left alone")]
    public async Task A_wrong_incremental_setting_fails_without_retries_and_says_what_to_fix(string incremental, string message)
    {
        Land("data/one.csv", "id,customer\n1,Ada\n", Noon);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => ReadAsync("csv.read", $$"""{"path": "data/one.csv", "incremental": {{incremental}}}"""));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watermark_that_is_not_a_files_mark_is_refused_with_how_to_reset_it()
    {
        Land("data/one.csv", "id,customer\n1,Ada\n", Noon);
        _stored["landed"] = JsonSerializer.SerializeToElement(42);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => ReadAsync("csv.read", """{"path": "data/one.csv", "incremental": {"by": "files"}}"""));

        Assert.Contains("checkpoint 'landed' holds 42", error.Message, StringComparison.Ordinal);
        Assert.Contains("duraflow checkpoints reset --name landed", error.Message, StringComparison.Ordinal);
    }
}
