using Duraflow.Engine.Runtime;

namespace Duraflow.Engine.Tests.Checkpoints;

/// <summary>
/// {{ checkpoint.NAME }}, a SQL block's with.checkpoint and a file reader's with.incremental, checked before any run:
/// a malformed setting, a checkpoint read where the run decides without it, a cached or concurrent incremental block,
/// each refused at its line.
/// </summary>
public sealed class CheckpointValidationTests
{
    private const string Incremental = "select * from {{ blocks.orders }} where id > coalesce({{ checkpoint.last_id }}, 0)";

    private static string Pipeline(string block, string top = "") =>
        $"name: p\n{top}blocks:\n  - {{ name: orders, uses: csv.read, with: {{ path: a.csv }} }}\n  - {block}\n";

    [Fact]
    public void A_sql_block_that_reads_and_sets_a_checkpoint_is_valid_and_its_pipeline_runs_one_run_at_a_time()
    {
        var result = PipelineFixture.Check(
            Pipeline("{ name: fresh, uses: sql:fresh.sql, with: { checkpoint: { name: last_id, value: \"max(id)\" } } }"), ("fresh.sql", Incremental));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(1, RunPlanner.Plan(result).Concurrency);
    }

    [Fact]
    public void A_pipeline_without_checkpoints_keeps_no_concurrency_limit() =>
        Assert.Null(RunPlanner.Plan(PipelineFixture.Check(Pipeline("{ name: all, uses: sql:all.sql }"), ("all.sql", "select * from {{ blocks.orders }}"))).Concurrency);

    [Theory]
    [InlineData("{ name: last_id }", "with.checkpoint needs a value")]
    [InlineData("{ value: \"max(id)\" }", "with.checkpoint needs a name")]
    [InlineData("{ name: last_id, value: \"max(id)\", every: 1h }", "with.checkpoint has no key 'every'")]
    [InlineData("{ name: \"\", value: \"max(id)\" }", "with.checkpoint needs a name: must be 1 to 200 characters")]
    [InlineData("{ name: [a], value: \"max(id)\" }", "with.checkpoint takes keys with single texts")]
    public void A_malformed_checkpoint_setting_is_refused_at_its_line(string checkpoint, string message)
    {
        var result = PipelineFixture.Check(Pipeline($"{{ name: fresh, uses: sql:fresh.sql, with: {{ checkpoint: {checkpoint} }} }}"), ("fresh.sql", Incremental));

        var error = Assert.Single(result.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(4, error.Location.Line);
    }

    [Fact]
    public void A_checkpoint_in_a_condition_is_refused_because_the_run_decides_without_it()
    {
        var result = PipelineFixture.Check(Pipeline("{ name: fresh, uses: sql:fresh.sql, when: \"{{ checkpoint.last_id }}\" }"), ("fresh.sql", Incremental));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("'checkpoint.last_id' reads a checkpoint, which only a block's with: settings and SQL can read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cached_sql_block_that_reads_a_checkpoint_is_refused()
    {
        var result = PipelineFixture.Check(Pipeline("{ name: fresh, uses: sql:fresh.sql, cache: true }"), ("fresh.sql", Incremental));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("block 'fresh' reads or sets a checkpoint, so it cannot be cached", StringComparison.Ordinal));
    }

    [Fact]
    public void An_incremental_pipeline_with_concurrency_above_one_is_refused()
    {
        var result = PipelineFixture.Check(Pipeline("{ name: fresh, uses: sql:fresh.sql }", top: "concurrency: 2\n"), ("fresh.sql", Incremental));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("has concurrency 2, but block 'fresh' reads a checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void A_settings_template_reading_a_checkpoint_counts_as_incremental()
    {
        var result = PipelineFixture.Check(
            Pipeline("{ name: page, uses: http.get, with: { url: \"https://example.test/orders?after={{ checkpoint.last_id }}\" } }", top: "concurrency: 3\n"));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("has concurrency 3, but block 'page' reads a checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void An_incremental_file_reader_is_valid_and_its_pipeline_runs_one_run_at_a_time()
    {
        var result = PipelineFixture.Check("name: p\nblocks:\n  - { name: landed, uses: csv.read, with: { path: 'landing/*.csv', incremental: { by: files } } }\n");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(1, RunPlanner.Plan(result).Concurrency);
    }

    [Theory]
    [InlineData("{ by: sideways }", "with.incremental by must be files or column, not 'sideways'")]
    [InlineData("{ by: column }", "with.incremental needs a column with by: column")]
    [InlineData("{ column: id }", "with.incremental needs by: files")]
    [InlineData("{ by: files, since: 1d }", "with.incremental has no key 'since'")]
    [InlineData("{ by: files, checkpoint: \"\" }", "with.incremental checkpoint name must be 1 to 200 characters")]
    public void A_malformed_incremental_setting_is_refused_at_its_line(string incremental, string message)
    {
        var result = PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: landed, uses: csv.read, with: {{ path: a.csv, incremental: {incremental} }} }}\n");

        var error = Assert.Single(result.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void A_writer_takes_no_incremental_setting()
    {
        var result = PipelineFixture.Check(Pipeline("{ name: out, uses: csv.write, with: { path: b.csv, incremental: { by: files } } }"));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("csv.write has no setting 'incremental'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_that_uses_a_checkpoint_cannot_repeat()
    {
        var result = PipelineFixture.Check(
            Pipeline("{ name: fresh, uses: sql:fresh.sql, repeat: { every: 1m, until: \"{{ output.rows == 0 }}\", max: 5 } }"), ("fresh.sql", Incremental));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("block 'fresh' reads or sets a checkpoint, so it cannot repeat", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkpoint_over_a_materialized_result_is_refused_before_the_query_runs()
    {
        var result = PipelineFixture.Check(Pipeline(
            "{ name: fresh, uses: sql:fresh.sql, with: { connection: warehouse, materialize: table, target: t, checkpoint: { name: n, value: \"max(id)\" } } }"),
            ("fresh.sql", "select 1 as id"));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("with materialize: table it returns none", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkpoint_value_cannot_hold_templates()
    {
        var result = PipelineFixture.Check(Pipeline("{ name: fresh, uses: sql:fresh.sql, with: { checkpoint: { name: n, value: \"max({{ params.col }})\" } } }", top: "parameters:\n  col: { type: string, default: id }\n"),
            ("fresh.sql", Incremental));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("cannot hold templates", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_blocks_setting_one_checkpoint_are_refused()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv, incremental: { by: files, checkpoint: landed } } }\n"
            + "  - { name: b, uses: csv.read, with: { path: b.csv, incremental: { by: files, checkpoint: landed } } }\n");

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("blocks 'a' and 'b' both set checkpoint 'landed'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_run_per_item_cannot_share_one_checkpoint_across_its_items()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: folders, uses: script:folders.csx, fan_out: true }\n"
            + "  - { name: files, uses: csv.read, with: { path: \"{{ blocks.folders }}/*.csv\", incremental: { by: files } } }\n",
            ("folders.csx", "return new[] { \"a\", \"b\" };"));

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("block 'files' runs once per item of 'folders', and every item would set checkpoint 'files'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_script_whose_load_helper_reads_a_checkpoint_runs_one_run_at_a_time()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: pull, uses: script:pull.csx }\n",
            ("pull.csx", "#load \"helpers/watermark.csx\"\nreturn await Since();"),
            ("helpers/watermark.csx", "async Task<long> Since() => await Checkpoint<long?>(\"last\") ?? 0;"));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(1, RunPlanner.Plan(result).Concurrency);
    }

    [Fact]
    public void A_checkpoint_two_load_helpers_deep_is_found_and_a_load_cycle_ends()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: pull, uses: script:pull.csx }\n",
            ("pull.csx", "#load \"helpers/a.csx\"\nreturn await Since();"),
            ("helpers/a.csx", "#load \"b.csx\"\n"),
            ("helpers/b.csx", "#load \"a.csx\"\nasync Task<long> Since() => await Checkpoint<long?>(\"last\") ?? 0;"));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal("pull", result.CheckpointUser);
    }
}
