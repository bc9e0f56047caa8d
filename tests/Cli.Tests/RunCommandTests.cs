using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>`duraflow run` and `duraflow runs ...` on a copy of the examples project, as a user runs them.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public RunCommandTests()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Examples, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.duraflow{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            _project.Write(Path.GetRelativePath(RepositoryPaths.Examples, file), File.ReadAllText(file));
        }
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_works_the_fan_out_example_to_success_and_prints_each_block()
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", "region_reports", "--param", "day=2026-11-24");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("list_regions: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Contains("region_report[3]: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Contains("combine_reports: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"run region_reports-\d{8}-\d{6}-[0-9a-f]{6} succeeded in", result.OutLines[^1]);
    }

    [Fact]
    public async Task Run_works_the_orders_example_from_csv_through_a_script_and_sql_to_a_blob_export()
    {
        var environment = new Dictionary<string, string> { ["LAKE_CONNECTION_STRING"] = Services.Azurite };

        var result = await CliRunner.RunAsync(_project.Root, environment, "run", "orders", "--param", "currency=EUR", "--param", "min_amount=1", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var runId = json.RootElement.GetProperty("run_id").GetString();
        var written = StoredOutputs.Text(_project.Root, StoredOutputs.Block(json.RootElement, "export_totals").GetProperty("output"));
        using var exportOutput = JsonDocument.Parse(written!);
        var path = exportOutput.RootElement.GetProperty("path").GetString()!;
        var blob = new Azure.Storage.Blobs.BlobContainerClient(Services.Azurite, "exports").GetBlobClient(path["exports/".Length..]);
        var export = (await blob.DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // The expected totals come from the example's input, computed here the plain way.
        var expected = File.ReadAllLines(Path.Combine(RepositoryPaths.Examples, "data", "orders.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f[4] == "EUR" && decimal.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture) >= 1)
            .GroupBy(f => f[1])
            .Select(g => $"{g.Key},{g.Count()},{g.Sum(f => decimal.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)):0.00}")
            .Order(StringComparer.Ordinal);
        Assert.StartsWith("exports/daily_totals/", path, StringComparison.Ordinal);
        Assert.EndsWith($"/{runId}.csv", path, StringComparison.Ordinal);
        Assert.Equal(["order_date,orders,total", .. expected], export);
        var tables = json.RootElement.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("output").GetProperty("artifact").GetString()?.EndsWith(".parquet", StringComparison.Ordinal) == true)
            .Select(b => b.GetProperty("name").GetString());
        Assert.Equal(["clean_orders", "daily_totals", "load_orders"], tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_with_json_prints_the_finished_run_and_its_outputs_are_stored()
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", "region_reports", "-p", "day=2026-11-24", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        var output = StoredOutputs.Text(_project.Root, StoredOutputs.Block(json.RootElement, "combine_reports").GetProperty("output"));
        Assert.Equal("{\"regions\":4,\"orders\":180}", output);
    }

    [Theory]
    [InlineData("day=yesterday", "--param day=yesterday: expected a date such as 2026-11-24")]
    [InlineData("dya=2026-11-24", "has no parameter 'dya'; did you mean 'day'?")]
    [InlineData("day", "--param 'day': write it as NAME=VALUE")]
    public async Task Run_rejects_bad_parameters_with_exit_code_2_and_starts_nothing(string parameter, string message)
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", "region_reports", "--param", parameter);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")) && (await CliRunner.RunAsync(_project.Root, "runs", "list")).OutLines.Length > 1);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task Runs_list_refuses_a_limit_below_one(string limit)
    {
        var result = await CliRunner.RunAsync(_project.Root, "runs", "list", "--limit", limit);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--limit {limit} lists no runs; give 1 or more", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs list --limit abc", "--limit takes a whole number (such as 20), not 'abc'")]
    [InlineData("runs list --limit 99999999999", "--limit takes a whole number (such as 20), not '99999999999'")]
    [InlineData("graph orders --format nope", "--format takes one of text, mermaid, dot, not 'nope'")]
    [InlineData("serve --port eighty", "--port takes a whole number (such as 20), not 'eighty'")]
    public async Task A_value_of_the_wrong_form_is_a_usage_error_that_says_what_to_type_not_a_dotnet_type(string command, string message)
    {
        var result = await CliRunner.RunAsync(_project.Root, command.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {message}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Duraflow.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is an empty file (0 bytes), not a Duraflow store")]
    [InlineData("this is not a database, it was overwritten by accident................................................", "is damaged or not a SQLite database")]
    public async Task A_damaged_or_empty_store_names_the_file_and_what_to_do_instead_of_an_internal_error(string content, string problem)
    {
        _project.Write(".duraflow/duraflow.db", content);

        var result = await CliRunner.RunAsync(_project.Root, "runs", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the run store .duraflow/duraflow.db {problem}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(_project.PathOf(".duraflow/duraflow.db")));
    }

    [Fact]
    public async Task Run_without_a_required_parameter_says_how_to_pass_it()
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", "region_reports");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("parameter 'day' is required; pass it as --param day=VALUE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_block_fails_the_run_with_exit_1_and_runs_show_and_logs_explain_it()
    {
        _project.Write("pipelines/fragile/pipeline.yaml", "name: fragile\nblocks:\n  - name: first\n    uses: script:blocks/first.csx\n  - name: second\n    uses: script:blocks/second.csx\n    upstream: [first]\n");
        _project.Write("pipelines/fragile/blocks/first.csx", "Log.LogInformation(\"loading {Count} rows\", 3);\nreturn 3;\n");
        _project.Write("pipelines/fragile/blocks/second.csx", "throw new NonRetryableBlockException(\"the input has no header row\");\n");

        var run = await CliRunner.RunAsync(_project.Root, "run", "fragile");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("second: failed (the input has no header row)", run.Out, StringComparison.Ordinal);
        var runId = run.OutLines[0].Split(' ')[1].TrimEnd(':');

        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"run {runId}: pipeline fragile, failed", show.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^first\s+succeeded\s+1", show.Out);
        Assert.Matches(@"(?m)^second\s+failed\s+1\s+\S+\s+the input has no header row", show.Out);

        var logs = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId, "--block", "first");
        Assert.Contains("first#1 information: loading 3 rows", logs.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("second#", logs.Out, StringComparison.Ordinal);

        var cancel = await CliRunner.RunAsync(_project.Root, "runs", "cancel", runId);
        Assert.Equal(1, cancel.ExitCode);
        Assert.Contains("cannot be cancelled: the run is already failed", cancel.Error, StringComparison.Ordinal);

        var list = await CliRunner.RunAsync(_project.Root, "runs", "list", "--status", "failed");
        Assert.Contains(runId, list.Out, StringComparison.Ordinal);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(runId, (await CliRunner.RunAsync(_project.Root, "runs", "list", "--from", yesterday)).Out, StringComparison.Ordinal);
        Assert.DoesNotContain(runId, (await CliRunner.RunAsync(_project.Root, "runs", "list", "--to", yesterday)).Out, StringComparison.Ordinal);
        var badTime = await CliRunner.RunAsync(_project.Root, "runs", "list", "--from", "last tuesday");
        Assert.Equal(2, badTime.ExitCode);
        Assert.Contains("--from 'last tuesday' is not a time; give an ISO 8601 date", badTime.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_is_logged_with_the_scripts_own_line_and_the_full_trace_only_at_debug_level()
    {
        _project.Write("pipelines/fragile/pipeline.yaml", "name: fragile\nblocks:\n  - name: parse\n    uses: script:blocks/parse.csx\n");
        _project.Write("pipelines/fragile/blocks/parse.csx", "int Parse(string text) =>\n    text.Length > 0\n        ? throw new InvalidOperationException(\"row 7 has no amount\")\n        : 0;\nreturn Parse(\"x\");\n");
        var run = await CliRunner.RunAsync(_project.Root, "run", "fragile");
        var runId = run.OutLines[0].Split(' ')[1].TrimEnd(':');

        var logs = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId);
        var debug = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId, "--level", "debug");
        var wrong = await CliRunner.RunAsync(_project.Root, "runs", "logs", runId, "--level", "loud");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("parse#1 error: InvalidOperationException: row 7 has no amount\n  at pipelines/fragile/blocks/parse.csx:line 2\n  at pipelines/fragile/blocks/parse.csx:line 5\n", logs.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Duraflow.", logs.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("debug:", logs.Out, StringComparison.Ordinal);
        Assert.Contains("parse#1 debug: System.InvalidOperationException: row 7 has no amount", debug.Out, StringComparison.Ordinal);
        Assert.Contains("at Duraflow.", debug.Out, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
    }

    [Fact]
    public async Task A_run_that_failed_on_bad_code_is_rerun_on_the_fixed_files_with_refresh_keeping_what_succeeded()
    {
        _project.Write("pipelines/fragile/pipeline.yaml", "name: fragile\nblocks:\n  - { name: load, uses: script:blocks/load.csx }\n  - { name: check, uses: script:blocks/check.csx }\n");
        _project.Write("pipelines/fragile/blocks/load.csx", "return 41;\n");
        _project.Write("pipelines/fragile/blocks/check.csx", "throw new NonRetryableBlockException(\"the threshold is wrong\");\n");
        var run = await CliRunner.RunAsync(_project.Root, "run", "fragile");
        var runId = run.OutLines[0].Split(' ')[1].TrimEnd(':');
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"fix what the error says, then `duraflow runs retry {runId} --refresh` runs on the fixed files", run.Error, StringComparison.Ordinal);

        _project.Write("pipelines/fragile/blocks/check.csx", "return Input<int>(\"load\") + 1;\n");
        var show = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);
        var pinnedRetry = await CliRunner.RunAsync(_project.Root, "runs", "retry", runId);
        var refreshed = await CliRunner.RunAsync(_project.Root, "runs", "retry", runId, "--refresh");
        var after = await CliRunner.RunAsync(_project.Root, "runs", "show", runId);

        Assert.Contains($"the files of pipeline fragile changed since this run was pinned (block check); `duraflow runs retry {runId} --refresh` runs on them", show.Out, StringComparison.Ordinal);
        Assert.Equal(1, pinnedRetry.ExitCode);
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.Matches(@"(?m)^load\s+succeeded\s+1\s", after.Out);
        Assert.Matches(@"(?m)^check\s+succeeded\s+3\s", after.Out);
        Assert.DoesNotContain("changed since this run was pinned", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_refuses_a_pipeline_whose_script_does_not_compile_with_exit_code_2_and_starts_nothing()
    {
        _project.Write("pipelines/orders/blocks/clean_orders.csx", "var orders = Input<Order[]>(\"load_orders\");\nreturn orders;\n");

        var result = await CliRunner.RunAsync(_project.Root, "run", "orders", "--param", "currency=EUR");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(
            "pipelines/orders/blocks/clean_orders.csx:1:20: error DF022: CS0246: The type or namespace name 'Order' could not be found",
            result.Out,
            StringComparison.Ordinal);
        Assert.False(File.Exists(_project.PathOf(".duraflow/duraflow.db")));
    }

    [Fact]
    public async Task Run_loads_the_scripts_validate_cached_and_they_behave_as_compiled_ones()
    {
        _project.Write("pipelines/fragile/pipeline.yaml", "name: fragile\nblocks:\n  - name: only\n    uses: script:blocks/only.csx\n");
        _project.Write("pipelines/fragile/blocks/only.csx", "var limit = 2;\nthrow new InvalidOperationException($\"limit {limit} reached\");\n");
        var validate = await CliRunner.RunAsync(_project.Root, "validate", "pipelines/fragile");
        var cached = Assert.Single(Directory.GetFiles(_project.PathOf(".duraflow/cache/scripts")));
        // A process that compiled the script would write the file again.
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(cached, written);

        var run = await CliRunner.RunAsync(_project.Root, "run", "fragile", "--json");

        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var error = StoredOutputs.Block(json.RootElement, "only").GetProperty("error").GetString();
        Assert.Equal("InvalidOperationException: limit 2 reached", error);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(_project.PathOf(".duraflow/cache/scripts")))));
    }

    [Fact]
    public async Task Runs_commands_name_an_unknown_run_clearly()
    {
        var result = await CliRunner.RunAsync(_project.Root, "runs", "show", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("there is no run 'nope'", result.Error, StringComparison.Ordinal);
    }
}
