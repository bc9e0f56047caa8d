using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow backfill</c> and <c>duraflow backfills list|show|cancel</c>, as a user runs them.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public BackfillCommandTests()
    {
        _project.Write("duraflow.yaml", "timezone: Europe/Berlin\n");
        _project.Write("pipelines/daily/pipeline.yaml", """
            name: daily
            triggers:
              - schedule: { cron: "0 6 * * *" }
            blocks:
              - { name: a, uses: script:a.csx }
            """);
        _project.Write("pipelines/daily/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_backfill_shows_its_progress_runs_each_tick_once_and_is_listed_with_its_counts()
    {
        var first = await CliRunner.RunAsync(_project.Root, "backfill", "daily", "--from", "2026-11-01", "--to", "2026-11-05", "--concurrency", "2");
        var second = await CliRunner.RunAsync(_project.Root, "backfill", "daily", "--from", "2026-11-01", "--to", "2026-11-06", "--json");
        var listed = await CliRunner.RunAsync(_project.Root, "backfills", "list");
        var runs = await CliRunner.RunAsync(_project.Root, "runs", "list", "--json", "--limit", "50");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"^backfill daily-bf-\S+: \[#{20}\] 4/4 ended \(4 succeeded, 0 failed\), finished$", first.OutLines[^1]);
        Assert.Contains(first.OutLines, l => l.Contains("[--------------------] 0/4 ended", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(second.Out);
        Assert.Equal(("finished", 5, 4, 5), (json.RootElement.GetProperty("status").GetString(), json.RootElement.GetProperty("ticks").GetInt32(),
            json.RootElement.GetProperty("already_started").GetInt32(), json.RootElement.GetProperty("succeeded").GetInt32()));
        Assert.Matches(@"daily-bf-\S+\s+daily\s+2026-11-01 00:00:00\s+2026-11-06 00:00:00\s+Europe/Berlin\s+finished\s+5/5\s+5\s+0\s+0", listed.Out);
        using var runList = JsonDocument.Parse(runs.Out);
        Assert.Equal(
            ["daily-20261101-050000-sched", "daily-20261102-050000-sched", "daily-20261103-050000-sched", "daily-20261104-050000-sched", "daily-20261105-050000-sched"],
            runList.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--from", "soon", "--from: 'from' 'soon' is not a date and time")]
    [InlineData("--schedule", "2", "--schedule: pipeline 'daily' has no schedule 2")]
    [InlineData("--param", "region=eu", "--param region: ")]
    public async Task A_bad_backfill_is_a_usage_error_that_starts_nothing(string option, string value, string says)
    {
        string[] args = option == "--from"
            ? ["backfill", "daily", "--from", value, "--to", "2026-11-05"]
            : ["backfill", "daily", "--from", "2026-11-01", "--to", "2026-11-05", option, value];

        var result = await CliRunner.RunAsync(_project.Root, args);
        var listed = await CliRunner.RunAsync(_project.Root, "backfills", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Equal("no backfills", listed.OutLines[^1]);
    }

    [Fact]
    public async Task Show_and_cancel_name_an_unknown_backfill_as_a_usage_error()
    {
        var show = await CliRunner.RunAsync(_project.Root, "backfills", "show", "nope");
        var cancel = await CliRunner.RunAsync(_project.Root, "backfills", "cancel", "nope");

        Assert.Equal((2, 2), (show.ExitCode, cancel.ExitCode));
        Assert.Contains("there is no backfill 'nope'", show.Error, StringComparison.Ordinal);
        Assert.Contains("there is no backfill 'nope'", cancel.Error, StringComparison.Ordinal);
    }
}
