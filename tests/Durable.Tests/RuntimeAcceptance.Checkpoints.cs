using Duraflow.Engine.Runs;

namespace Duraflow.Durable.Tests;

/// <summary>Checkpoints on each runtime: stored with the run's successful end, never by a run that failed.</summary>
public abstract partial class RuntimeAcceptance
{
    [Fact]
    public async Task A_checkpoint_moves_only_when_the_whole_run_succeeds()
    {
        Project.Write("pipelines/pull/read.csx", """
            var since = await Checkpoint<long?>("last_id") ?? 0;
            SetCheckpoint("last_id", since + 10);
            return since;
            """);
        Project.Write("pipelines/pull/load.csx", """
            if (!File.Exists(Path.Combine(ProjectRoot, "warehouse-up"))) throw new NonRetryableBlockException("warehouse down");
            return Input<long>("read");
            """);
        Project.Write("pipelines/pull/pipeline.yaml", """
            name: pull
            blocks:
              - { name: read, uses: script:read.csx }
              - { name: load, uses: script:load.csx }
            """);
        await using var runtime = await OpenAsync();

        var failed = await runtime.WaitAsync(await runtime.StartAsync("pull"));
        var afterFailure = await runtime.Engine.Store.GetCheckpointAsync("pull", "last_id", CancellationToken.None);
        Project.Write("warehouse-up", "");
        var succeeded = await runtime.WaitAsync(await runtime.StartAsync("pull"));
        var next = await runtime.WaitAsync(await runtime.StartAsync("pull"));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Null(afterFailure);
        Assert.Equal(("0", "0"), (await runtime.OutputAsync(succeeded, "read"), await runtime.OutputAsync(succeeded, "load")));
        Assert.Equal("10", await runtime.OutputAsync(next, "read"));
        Assert.Equal(20, (await runtime.Engine.Store.GetCheckpointAsync("pull", "last_id", CancellationToken.None))!.Value.GetInt64());
    }

    [Fact]
    public async Task A_sql_block_reads_each_new_row_once_across_runs_and_a_failed_run_does_not_move_its_checkpoint()
    {
        Project.Write("data/orders.csv", "id,amount\n1,10\n2,20\n3,30\n");
        Project.Write("pipelines/increment/fresh.sql", "select id, amount from {{ blocks.orders }} where id > coalesce({{ checkpoint.last_id }}, 0) order by id");
        Project.Write("pipelines/increment/load.csx", """
            record Row(long Id, long Amount);
            if (!File.Exists(Path.Combine(ProjectRoot, "warehouse-up"))) throw new NonRetryableBlockException("warehouse down");
            return string.Join(",", Input<Row[]>("fresh").Select(r => r.Id));
            """);
        Project.Write("pipelines/increment/pipeline.yaml", """
            name: increment
            blocks:
              - { name: orders, uses: csv.read, with: { path: data/orders.csv } }
              - { name: fresh, uses: sql:fresh.sql, with: { checkpoint: { name: last_id, value: "max(id)" } } }
              - { name: load, uses: script:load.csx }
            """);
        await using var runtime = await OpenAsync();
        async Task<long?> StoredAsync() => (await runtime.Engine.Store.GetCheckpointAsync("increment", "last_id", CancellationToken.None))?.GetInt64();

        var failed = await runtime.WaitAsync(await runtime.StartAsync("increment"));
        var afterFailure = await StoredAsync();
        Project.Write("warehouse-up", "");
        var all = await runtime.WaitAsync(await runtime.StartAsync("increment"));
        var afterAll = await StoredAsync();
        Project.Write("data/orders.csv", "id,amount\n1,10\n2,20\n3,30\n4,40\n5,50\n");
        var added = await runtime.WaitAsync(await runtime.StartAsync("increment"));
        var nothingNew = await runtime.WaitAsync(await runtime.StartAsync("increment"));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Null(afterFailure);
        Assert.Equal("\"1,2,3\"", await runtime.OutputAsync(all, "load"));
        Assert.Equal(3, afterAll);
        Assert.Equal("\"4,5\"", await runtime.OutputAsync(added, "load"));
        Assert.Equal("\"\"", await runtime.OutputAsync(nothingNew, "load"));
        Assert.Equal(RunStatus.Succeeded, nothingNew.Status);
        Assert.Equal(5, await StoredAsync());
    }

    [Fact]
    public async Task An_incremental_file_reader_reads_each_landed_file_once_across_runs_and_failures()
    {
        Project.Write("landing/1.csv", "id\n1\n2\n");
        File.SetLastWriteTimeUtc(Path.Combine(Project.Root, "landing/1.csv"), DateTime.UtcNow.AddMinutes(-10));
        Project.Write("pipelines/landed/load.csx", """
            record Row(long Id);
            if (!File.Exists(Path.Combine(ProjectRoot, "warehouse-up"))) throw new NonRetryableBlockException("warehouse down");
            return string.Join(",", Input<Row[]>("files").Select(r => r.Id).Order());
            """);
        Project.Write("pipelines/landed/pipeline.yaml", """
            name: landed
            blocks:
              - { name: files, uses: csv.read, with: { path: "landing/*.csv", incremental: { by: files } } }
              - { name: load, uses: script:load.csx }
            """);
        await using var runtime = await OpenAsync();

        var failed = await runtime.WaitAsync(await runtime.StartAsync("landed"));
        Project.Write("warehouse-up", "");
        var first = await runtime.WaitAsync(await runtime.StartAsync("landed"));
        Project.Write("landing/2.csv", "id\n3\n");
        File.SetLastWriteTimeUtc(Path.Combine(Project.Root, "landing/2.csv"), DateTime.UtcNow.AddMinutes(-5));
        var second = await runtime.WaitAsync(await runtime.StartAsync("landed"));
        var nothingNew = await runtime.WaitAsync(await runtime.StartAsync("landed"));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("\"1,2\"", await runtime.OutputAsync(first, "load"));
        Assert.Equal("\"3\"", await runtime.OutputAsync(second, "load"));
        Assert.Equal("\"\"", await runtime.OutputAsync(nothingNew, "load"));
        var mark = (await runtime.Engine.Store.GetCheckpointAsync("landed", "files", CancellationToken.None))!.Value;
        Assert.Equal("landing/2.csv", mark.GetProperty("name").GetString());
    }
}
