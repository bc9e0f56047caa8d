using Duraflow.Engine.Definitions;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>
/// duraflow.yaml's <c>alerts:</c>: default alerts every pipeline sends before its own unless it says
/// <c>inherit: false</c>, and the dashboard URL that alert links start with; each refused with the line and the fix.
/// </summary>
public sealed class ProjectAlertTests : IDisposable
{
    private const string Block = "blocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n";
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    private ProjectValidation Validate(string settings)
    {
        _project.Write("duraflow.yaml", settings);
        return ProjectValidator.Validate(_project.Root, displayRoot: _project.Root);
    }

    [Fact]
    public void Defaults_go_first_a_pipeline_adds_its_own_and_inherit_false_leaves_them_out()
    {
        _project.Write("pipelines/adds/pipeline.yaml", "name: adds\n" + Block + "alerts:\n  - { on: [succeeded], webhook: \"https://hooks.example.com/own\" }\n");
        _project.Write("pipelines/quiet/pipeline.yaml", "name: quiet\n" + Block + "alerts:\n  inherit: false\n  send:\n    - { on: [failed], teams: \"{{ env.TEAMS_HOOK }}\" }\n");
        _project.Write("pipelines/silent/pipeline.yaml", "name: silent\n" + Block + "alerts: { inherit: false }\n");
        _project.Write("pipelines/plain/pipeline.yaml", "name: plain\n" + Block);

        var validation = Validate("""
            alerts:
              dashboard_url: https://flows.example.com
              send:
                - on: [failed, sla_missed]
                  slack: "{{ secrets.slack_alerts }}"
                  message: "{{ run.pipeline }} ({{ run.trigger }})"
            """);

        Assert.True(validation.IsValid, string.Join("\n", validation.Diagnostics));
        var alerts = validation.Pipelines.ToDictionary(p => p.Definition!.Name, p => RunPlanner.Plan(p).Alerts ?? []);
        Assert.Equal([AlertDestination.Slack, AlertDestination.Webhook], alerts["adds"].Select(a => a.Destination));
        Assert.Equal([AlertDestination.Teams], alerts["quiet"].Select(a => a.Destination));
        Assert.Empty(alerts["silent"]);
        var inherited = Assert.Single(alerts["plain"]);
        Assert.Equal([AlertEvent.Failed, AlertEvent.SlaMissed], inherited.On);
        Assert.Equal("{{ secrets.slack_alerts }}", inherited.Url);
        Assert.Equal(new Uri("https://flows.example.com"), DuraflowProject.Open(_project.Root).Settings.DashboardUrl);
    }

    [Theory]
    [InlineData("alerts:\n  dashboard_url: http://flows.example.com\n", "alerts 'dashboard_url' 'http://flows.example.com' must be an https:// URL", 2)]
    [InlineData("alerts:\n  dashboard_url: [a]\n", "alerts 'dashboard_url'", 2)]
    [InlineData("alerts:\n  send:\n    - { on: [failed], webhook: \"https://h.example.com\", message: \"{{ params.day }}\" }\n", "a project's default alert goes with every pipeline", 3)]
    [InlineData("alerts:\n  send:\n    - { on: [failed], webhook: \"{{ params.url }}\" }\n", "may read only {{ secrets.* }} and {{ env.* }}", 3)]
    [InlineData("alerts:\n  sending: []\n", "sending", 2)]
    [InlineData("alerts: [ { on: [failed], webhook: \"https://h.example.com\" } ]\n", "'alerts'", 1)]
    public void Bad_project_alerts_are_refused_at_their_line(string settings, string expected, int line)
    {
        _project.Write("pipelines/p/pipeline.yaml", "name: p\n" + Block);

        var validation = Validate(settings);

        var error = Assert.Single(validation.Diagnostics, d => d.IsError);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(("duraflow.yaml", line), (error.Location.File, error.Location.Line));
    }

    [Fact]
    public void Inherit_must_be_true_or_false()
    {
        _project.Write("pipelines/p/pipeline.yaml", "name: p\n" + Block + "alerts: { inherit: maybe }\n");

        var validation = Validate("alerts:\n  send:\n    - { on: [failed], webhook: \"https://h.example.com\" }\n");

        var error = Assert.Single(validation.Diagnostics, d => d.IsError);
        Assert.Contains("alerts 'inherit'", error.Message, StringComparison.Ordinal);
    }
}
