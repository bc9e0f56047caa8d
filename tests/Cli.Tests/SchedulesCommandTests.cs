using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow schedules list|pause|resume</c> on a project with a scheduled pipeline, as a user runs them.</summary>
public sealed class SchedulesCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public SchedulesCommandTests()
    {
        _project.Write("duraflow.yaml", "timezone: Europe/Berlin\n");
        _project.Write("pipelines/nightly/pipeline.yaml", """
            name: nightly
            triggers:
              - schedule: { cron: "0 2 * * *", catch_up: latest }
            blocks:
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);
        _project.Write("pipelines/manual/pipeline.yaml", """
            name: manual
            blocks:
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_pipelines_schedules_are_listed_paused_with_a_reason_and_resumed()
    {
        var active = await CliRunner.RunAsync(_project.Root, "schedules", "list");
        var paused = await CliRunner.RunAsync(_project.Root, "schedules", "pause", "nightly", "--reason", "warehouse upgrade");
        var again = await CliRunner.RunAsync(_project.Root, "schedules", "pause", "nightly");
        var listed = await CliRunner.RunAsync(_project.Root, "schedules", "list");
        var json = await CliRunner.RunAsync(_project.Root, "schedules", "list", "--json");
        var resumed = await CliRunner.RunAsync(_project.Root, "schedules", "resume", "nightly");
        var resumedAgain = await CliRunner.RunAsync(_project.Root, "schedules", "resume", "nightly");

        Assert.True(active.ExitCode == 0, active.ToString());
        Assert.Matches(@"nightly\s+0 2 \* \* \*\s+At 02:00, every day\s+Europe/Berlin\s+latest\s+active\s", active.Out);
        Assert.DoesNotContain("manual", active.Out, StringComparison.Ordinal);
        Assert.Equal("paused the schedules of nightly", paused.OutLines[^1]);
        Assert.Contains("were paused already", again.Out, StringComparison.Ordinal);
        Assert.Contains(": warehouse upgrade", again.Out, StringComparison.Ordinal);
        Assert.Matches(@"nightly\s+.*paused since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by cli:", listed.Out);
        Assert.Contains("nightly is paused: warehouse upgrade", listed.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var item = Assert.Single(document.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("warehouse upgrade", item.GetProperty("paused").GetProperty("reason").GetString());
        Assert.Equal(5, item.GetProperty("schedules")[0].GetProperty("next").GetArrayLength());
        Assert.Equal("At 02:00, every day", item.GetProperty("schedules")[0].GetProperty("description").GetString());
        Assert.StartsWith("resumed the schedules of nightly", resumed.Out, StringComparison.Ordinal);
        Assert.Contains("were not paused", resumedAgain.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interval_schedule_is_listed_with_its_interval_anchor_words_and_next_ticks_on_its_grid()
    {
        _project.Write("pipelines/quarterly/pipeline.yaml", """
            name: quarterly
            triggers:
              - schedule: { every: 15m, anchor: "2026-01-01T00:05:00", catch_up: none }
            blocks:
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);

        var json = await CliRunner.RunAsync(_project.Root, "schedules", "list", "--json");
        var table = await CliRunner.RunAsync(_project.Root, "schedules", "list");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var quarterly = document.RootElement.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("pipeline").GetString() == "quarterly");
        var schedule = Assert.Single(quarterly.GetProperty("schedules").EnumerateArray());
        Assert.Equal(("every 15m from 2026-01-01T00:05:00", "15m", "2026-01-01T00:05:00", JsonValueKind.Null),
            (schedule.GetProperty("schedule").GetString(), schedule.GetProperty("every").GetString(), schedule.GetProperty("anchor").GetString(), schedule.GetProperty("cron").ValueKind));
        Assert.Equal("Every 15m of elapsed time, counted from 2026-01-01 00:05:00", schedule.GetProperty("description").GetString());
        Assert.Equal("Europe/Berlin", schedule.GetProperty("timezone").GetString());

        // 00:05 in Berlin is 23:05 UTC, so every tick is at 5, 20, 35 or 50 minutes past an hour in UTC.
        var next = schedule.GetProperty("next").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, t => Assert.Equal(5, t.UtcDateTime.Minute % 15));
        Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second - pair.First));
        Assert.Matches(@"quarterly\s+every 15m from 2026-01-01T00:05:00\s+Every 15m of elapsed time", table.Out);
    }

    [Theory]
    [InlineData("nighty", "the project has no pipeline 'nighty'; did you mean 'nightly'?")]
    [InlineData("manual", "pipeline 'manual' has no schedule trigger; pipelines with schedules: nightly")]
    public async Task Pausing_a_pipeline_without_schedules_is_a_usage_error_that_names_the_ones_with_some(string name, string says)
    {
        var result = await CliRunner.RunAsync(_project.Root, "schedules", "pause", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_too_long_is_refused_and_nothing_is_paused()
    {
        var result = await CliRunner.RunAsync(_project.Root, "schedules", "pause", "nightly", "--reason", new string('x', 501));
        var listed = await CliRunner.RunAsync(_project.Root, "schedules", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--reason: the reason is 501 characters; give at most 500", result.Error, StringComparison.Ordinal);
        Assert.Contains("active", listed.Out, StringComparison.Ordinal);
    }
}
