using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>run</c>, <c>runs</c> and <c>worker</c> on the azure store, chosen with <c>--store azure</c> or in duraflow.yaml,
/// against Azurite. Each test has a prefix of its own, so its tables, queues and container are its own, and they
/// are deleted afterwards.
/// </summary>
public sealed class AzureStoreCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _project = new();
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<string, string> _environment = new()
    {
        ["AzureWebJobsStorage"] = Services.Azurite,
        ["LAKE_CONNECTION_STRING"] = Services.Azurite,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var store = await AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), new AzureStoreOptions { Prefix = _prefix });
        await store.DeleteEverythingAsync(CancellationToken.None);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_with_store_azure_works_the_orders_example_in_the_account_and_runs_show_reads_it_back()
    {
        CopyExamples();
        var settings = File.ReadAllText(_project.PathOf("duraflow.yaml"));
        Assert.Contains("  type: sqlite", settings, StringComparison.Ordinal);
        _project.Write("duraflow.yaml", settings.Replace("store:\n", $"store:\n  prefix: {_prefix}\n", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync(_project.Root, _environment, "run", "orders", "--store", "azure", "--param", "currency=EUR", "--param", "min_amount=1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        var runId = json.RootElement.GetProperty("run_id").GetString()!;
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")), "the run went to the SQLite store");

        // Block outputs are blobs in the store's container (or inline when small); the export block's names the CSV it
        // wrote to the lake, and the table blocks' outputs are Parquet blobs.
        var container = new BlobContainerClient(Services.Azurite, _prefix);
        var export = StoredOutputs.Block(json.RootElement, "export_totals").GetProperty("output");
        var exportText = export.GetProperty("artifact").GetString() is { } exportKey
            ? (await container.GetBlobClient(exportKey).DownloadContentAsync()).Value.Content.ToString()
            : export.GetProperty("value").GetRawText();
        using var exportOutput = JsonDocument.Parse(exportText);
        var tableKey = StoredOutputs.Block(json.RootElement, "daily_totals").GetProperty("output").GetProperty("artifact").GetString()!;
        Assert.EndsWith(".parquet", tableKey, StringComparison.Ordinal);
        Assert.True((await container.GetBlobClient(tableKey).ExistsAsync()).Value, $"{tableKey} is not in the store's container");
        Assert.Matches($@"^exports/daily_totals/\d{{4}}-\d{{2}}-\d{{2}}/{runId}\.csv$", exportOutput.RootElement.GetProperty("path").GetString());

        var show = await CliRunner.RunAsync(_project.Root, _environment, "runs", "show", runId, "--store", "azure");
        var list = await CliRunner.RunAsync(_project.Root, _environment, "--store", "azure", "runs", "list", "--json");
        var logs = await CliRunner.RunAsync(_project.Root, _environment, "runs", "logs", runId, "--block", "export_totals", "--store", "azure");
        var onSqlite = await CliRunner.RunAsync(_project.Root, _environment, "runs", "show", runId);

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.StartsWith($"run {runId}: pipeline orders, succeeded, trigger cli, definition ", show.OutLines[0], StringComparison.Ordinal);
        Assert.EndsWith(", runtime duraflow", show.OutLines[0], StringComparison.Ordinal);
        foreach (var block in new[] { "load_orders", "clean_orders", "daily_totals", "export_totals" })
        {
            Assert.Contains(show.OutLines, line => Regex.IsMatch(line, $@"^{block}\s+succeeded\s+1\s"));
        }

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal([runId], JsonDocument.Parse(list.Out).RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("export_totals#1 information: Uploaded", logs.Out, StringComparison.Ordinal);
        Assert.Equal(2, onSqlite.ExitCode);
        Assert.Contains($"there is no run '{runId}'", onSqlite.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_type_azure_in_duraflow_yaml_reads_the_account_from_the_setting_that_connection_names()
    {
        CopyExamples();
        _project.Write("duraflow.yaml", $"store:\n  type: azure\n  connection: DURAFLOW_TEST_LAKE_STORE\n  prefix: {_prefix}\n");
        var environment = new Dictionary<string, string> { ["DURAFLOW_TEST_LAKE_STORE"] = Services.Azurite, ["AzureWebJobsStorage"] = string.Empty };

        var run = await CliRunner.RunAsync(_project.Root, environment, "run", "region_reports", "--param", "day=2026-11-24");
        var worker = await CliRunner.RunAsync(_project.Root, environment, "worker", "--until-idle");
        var list = await CliRunner.RunAsync(_project.Root, environment, "runs", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"run region_reports-\d{8}-\d{6}-[0-9a-f]{6} succeeded in", run.OutLines[^1]);
        Assert.True(worker.ExitCode == 0, worker.ToString());
        Assert.Matches($@"^worker \S+ on azure '{_prefix}' in DURAFLOW_TEST_LAKE_STORE: 0 unfinished run\(s\)", worker.OutLines[0]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"^region_reports-\S+\s+region_reports\s+succeeded\s+cli\s", list.OutLines[1]);
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")), "a command used the SQLite store");
    }

    [Fact]
    public async Task A_run_whose_process_died_is_finished_by_two_workers_sharing_the_account_each_block_once()
    {
        var marker = _project.PathOf("died-once");
        _project.Write("duraflow.yaml", $"store:\n  type: azure\n  prefix: {_prefix}\nworkers:\n  lease: 1s\n  parallelism: 2\n");
        _project.Write("pipelines/resume/pipeline.yaml", "name: resume\nblocks:\n  - { name: first, uses: \"script:blocks/die_once.csx\" }\n"
            + string.Concat(Enumerable.Range(0, 6).Select(i => $"  - {{ name: next_{i}, uses: \"script:blocks/work.csx\", upstream: [first] }}\n")));
        _project.Write("pipelines/resume/blocks/die_once.csx", $$"""
            // The first delivery ends its process the way a killed worker does; the next one, in another process, succeeds.
            if (!System.IO.File.Exists(@"{{marker}}"))
            {
                System.IO.File.WriteAllText(@"{{marker}}", RunId);
                Environment.Exit(3);
            }

            return RunId;
            """);
        _project.Write("pipelines/resume/blocks/work.csx", "return RunId;\n");

        var died = await CliRunner.RunAsync(_project.Root, _environment, "run", "resume");
        var workers = await Task.WhenAll(
            CliRunner.RunAsync(_project.Root, _environment, "worker", "--until-idle"),
            CliRunner.RunAsync(_project.Root, _environment, "worker", "--until-idle"));

        Assert.True(died.ExitCode == 3, died.ToString());
        Assert.All(workers, w => Assert.True(w.ExitCode == 0, w.ToString()));
        var store = await AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), new AzureStoreOptions { Prefix = _prefix });
        var runId = File.ReadAllText(marker);
        var state = (await store.GetRunAsync(runId, CancellationToken.None))!.State;
        var successes = (await store.GetEventsAsync(runId, CancellationToken.None)).OfType<BlockSucceeded>().GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal(7, successes.Count);
        Assert.All(successes, s => Assert.True(s.Value == 1, $"{s.Key} succeeded {s.Value} times"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("azure")]
    public async Task Runs_show_lists_an_attempt_that_was_dead_lettered_after_its_worker_died(string store)
    {
        _project.Write("duraflow.yaml", $"store:\n  type: {store}\n  prefix: {_prefix}\nworkers:\n  lease: 1s\n  max_deliveries: 1\n");
        _project.Write("pipelines/doomed/pipeline.yaml", "name: doomed\nblocks:\n  - { name: crash, uses: \"script:blocks/crash.csx\" }\n");
        _project.Write("pipelines/doomed/blocks/crash.csx", "// Every delivery ends the process, as a block that crashes its worker would.\nEnvironment.Exit(3);\nreturn 0;\n");

        var died = await CliRunner.RunAsync(_project.Root, _environment, "run", "doomed");
        var worker = await CliRunner.RunAsync(_project.Root, _environment, "worker", "--until-idle");
        var list = await CliRunner.RunAsync(_project.Root, _environment, "runs", "list", "--json");
        var runId = JsonDocument.Parse(list.Out).RootElement.GetProperty("items")[0].GetProperty("run_id").GetString()!;
        var show = await CliRunner.RunAsync(_project.Root, _environment, "runs", "show", runId);

        Assert.True(died.ExitCode == 3, died.ToString());
        Assert.True(worker.ExitCode == 0, worker.ToString());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.StartsWith($"run {runId}: pipeline doomed, failed", show.OutLines[0], StringComparison.Ordinal);
        // Two deliveries at least (the run's and the worker's); on a loaded machine a 1 s lease can lapse once more
        // before the worker reads the message, so the count is not pinned.
        Assert.Matches(
            $@"^dead-lettered: {runId}/block/crash/1 after (\d+) deliveries: crash attempt 1 was delivered \d+ times and never finished",
            show.OutLines[^1]);
    }

    [Fact]
    public async Task A_prefix_that_cannot_name_azure_resources_is_a_located_error_and_no_store_is_opened()
    {
        CopyExamples();
        _project.Write("duraflow.yaml", "store:\n  type: azure\n  prefix: Runs_2026\n");
        const string error = "duraflow.yaml:3:11: error DF017: store 'prefix' 'Runs_2026' must be 3 to 40 lowercase letters and digits starting with a letter, because it names Azure tables, queues and a blob container";

        var run = await CliRunner.RunAsync(_project.Root, _environment, "run", "region_reports", "--param", "day=2026-11-24");
        var list = await CliRunner.RunAsync(_project.Root, _environment, "runs", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([error, "1 error, 0 warnings"], run.OutLines);
        Assert.Equal(2, list.ExitCode);
        Assert.Equal($"error: duraflow.yaml has errors, so no store was opened; fix them first:\n{error}\n", list.Error);
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")));
    }

    [Fact]
    public async Task Without_the_account_setting_each_command_names_it_and_how_to_set_it_and_creates_nothing()
    {
        CopyExamples();
        _project.Write("duraflow.yaml", $"store:\n  connection: DURAFLOW_TEST_UNSET_STORE\n  prefix: {_prefix}\n");
        var expected = "error: the azure store reads its storage account from the environment variable DURAFLOW_TEST_UNSET_STORE (as store 'connection' in "
            + "duraflow.yaml says): no Azure Storage account is configured: set DURAFLOW_TEST_UNSET_STORE to a connection string (UseDevelopmentStorage=true "
            + "for Azurite), or DURAFLOW_TEST_UNSET_STORE__accountName or DURAFLOW_TEST_UNSET_STORE__blobServiceUri to sign in with a managed identity\n";

        var results = new[]
        {
            await CliRunner.RunAsync(_project.Root, _environment, "run", "region_reports", "--store", "azure", "--param", "day=2026-11-24"),
            await CliRunner.RunAsync(_project.Root, _environment, "runs", "list", "--store", "azure"),
            await CliRunner.RunAsync(_project.Root, _environment, "worker", "--store", "azure", "--until-idle"),
        };

        Assert.All(results, r => Assert.True(r.ExitCode == 2 && r.Error == expected, r.ToString()));
        Assert.False(await new BlobContainerClient(Services.Azurite, _prefix).ExistsAsync());
        Assert.Empty(new TableServiceClient(Services.Azurite).Query(t => t.Name == _prefix + "runs" || t.Name == _prefix + "index"));
        Assert.False(await new QueueServiceClient(Services.Azurite).GetQueueClient(_prefix + "-blocks").ExistsAsync());
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")));
    }

    [Fact]
    public async Task An_unknown_store_is_bad_usage_listing_the_stores()
    {
        var result = await CliRunner.RunAsync(_project.Root, "runs", "list", "--store", "cosmos");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Argument 'cosmos' not recognized. Must be one of:", result.Error, StringComparison.Ordinal);
        Assert.Contains("'azure'", result.Error, StringComparison.Ordinal);
    }

    private void CopyExamples()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Examples, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.duraflow{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            _project.Write(Path.GetRelativePath(RepositoryPaths.Examples, file), File.ReadAllText(file));
        }
    }
}
