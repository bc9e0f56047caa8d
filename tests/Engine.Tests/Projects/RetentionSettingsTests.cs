using Duraflow.Engine.Projects;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Projects;

/// <summary>duraflow.yaml's <c>retention</c> section: how long finished runs are kept before the sweeper purges them.</summary>
public sealed class RetentionSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("30d", 30 * 24)]
    [InlineData("1h", 1)]
    [InlineData("2d12h", 60)]
    public void Runs_takes_a_duration_of_an_hour_or_more(string value, int hours)
    {
        var project = Open($"retention:\n  runs: {value}\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal(TimeSpan.FromHours(hours), project.Settings.RetainRuns);
    }

    [Fact]
    public void Without_a_retention_section_runs_are_kept_for_ever()
    {
        Assert.Null(Open("name: p\n").Settings.RetainRuns);
        Assert.Null(Open("retention: {}\n").Settings.RetainRuns);
    }

    [Theory]
    [InlineData("0s", "duraflow.yaml:2:9: error DF006: retention 'runs' '0s' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    [InlineData("-30d", "duraflow.yaml:2:9: error DF006: retention 'runs' '-30d' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    [InlineData("thirty days", "duraflow.yaml:2:9: error DF006: retention 'runs' 'thirty days' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    [InlineData("30", "duraflow.yaml:2:9: error DF006: retention 'runs' '30' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    [InlineData("59m", "duraflow.yaml:2:9: error DF017: retention 'runs' '59m' is shorter than 1h, the least the sweeper keeps a finished run; write for example 30d (or purge sooner by hand with duraflow runs purge --older-than)")]
    [InlineData("36501d", "duraflow.yaml:2:9: error DF017: retention 'runs' '36501d' is longer than 36500d (100 years), the longest age accepted")]
    [InlineData("99999999999999999999d", "duraflow.yaml:2:9: error DF006: retention 'runs' '99999999999999999999d' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    public void A_runs_value_that_is_no_age_is_a_located_error_and_keeps_the_runs(string value, string error)
    {
        var project = Open($"retention:\n  runs: {value}\n");

        Assert.Equal([error], project.SettingsDiagnostics.Select(d => d.ToString()));
        Assert.Null(project.Settings.RetainRuns);
    }

    [Theory]
    [InlineData("retention: 30d\n", "duraflow.yaml:1:12: error DF011: 'retention' must be a map of keys (runs, audit), not '30d'")]
    [InlineData("retention: [30d]\n", "duraflow.yaml:1:12: error DF011: 'retention' must be a map of keys (runs, audit)")]
    [InlineData("retention:\n  runs: [30d]\n", "duraflow.yaml:2:9: error DF011: retention 'runs' must be a single value, not a list")]
    [InlineData("retention:\n  logs: 30d\n", "duraflow.yaml:2:3: error DF005: unknown key 'logs' in 'retention'; allowed keys are runs, audit")]
    [InlineData("retention:\n  runs: 30d\n  outputs: 7d\n", "duraflow.yaml:3:3: error DF005: unknown key 'outputs' in 'retention'; allowed keys are runs, audit")]
    public void A_retention_section_of_the_wrong_shape_or_with_unknown_keys_is_a_located_error(string yaml, string error)
    {
        var project = Open(yaml);

        Assert.StartsWith(error, Assert.Single(project.SettingsDiagnostics).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_entries_are_kept_a_year_unless_retention_audit_says_otherwise()
    {
        Assert.Equal(TimeSpan.FromDays(365), Open("name: p\n").Settings.RetainAudit);
        Assert.Equal(TimeSpan.FromDays(90), Open("retention:\n  audit: 90d\n").Settings.RetainAudit);
    }

    [Theory]
    [InlineData("12h", "duraflow.yaml:2:10: error DF017: retention 'audit' '12h' must be from 1d to 36500d; write for example 365d (the default)")]
    [InlineData("36501d", "duraflow.yaml:2:10: error DF017: retention 'audit' '36501d' must be from 1d to 36500d; write for example 365d (the default)")]
    [InlineData("forever", "duraflow.yaml:2:10: error DF006: retention 'audit' 'forever' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m")]
    public void An_audit_value_out_of_range_is_a_located_error_and_keeps_the_default(string value, string error)
    {
        var project = Open($"retention:\n  audit: {value}\n");

        Assert.Equal([error], project.SettingsDiagnostics.Select(d => d.ToString()));
        Assert.Equal(TimeSpan.FromDays(365), project.Settings.RetainAudit);
    }

    private DuraflowProject Open(string yaml)
    {
        _folder.Write("duraflow.yaml", yaml);
        return DuraflowProject.Open(_folder.Root, _folder.Root);
    }
}
