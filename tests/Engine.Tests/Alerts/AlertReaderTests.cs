using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>
/// <c>alerts:</c> as a pipeline declares them: one destination each (webhook, Slack or Teams), https (http to a loopback
/// host), destinations from secrets and environment variables only, and every event name, with located errors.
/// </summary>
public sealed class AlertReaderTests
{
    private static ValidatedPipelineAlerts Read(string alerts) =>
        new(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\nalerts:\n{alerts}"));

    [Fact]
    public void Each_destination_kind_and_every_event_is_read()
    {
        var read = Read("""
              - { on: [started, succeeded, failed, cancelled, retrying, sla_missed], webhook: 'https://hooks.example.com/a' }
              - { on: [failed], slack: '{{ secrets.slack_webhook }}', message: 'orders {{ run.id }} failed' }
              - { on: failed, teams: '{{ env.TEAMS_WEBHOOK }}' }
              - { on: [failed, failed], webhook: 'http://127.0.0.1:9000/alerts' }
            """);

        Assert.True(read.Result.IsValid, string.Join("\n", read.Result.Diagnostics));
        var alerts = read.Result.Definition!.Alerts;
        Assert.Equal([AlertDestination.Webhook, AlertDestination.Slack, AlertDestination.Teams, AlertDestination.Webhook], alerts.Select(a => a.Destination));
        Assert.Equal(
            [AlertEvent.Started, AlertEvent.Succeeded, AlertEvent.Failed, AlertEvent.Cancelled, AlertEvent.Retrying, AlertEvent.SlaMissed],
            alerts[0].On);
        Assert.Equal("{{ secrets.slack_webhook }}", alerts[1].Webhook);
        Assert.Equal("orders {{ run.id }} failed", alerts[1].Message);
        Assert.Equal([AlertEvent.Failed], alerts[3].On);
    }

    [Theory]
    [InlineData("  - { on: failed, webhook: '{{ params.url }}' }", "may read only {{ secrets.* }} and {{ env.* }}")]
    [InlineData("  - { on: failed, slack: 'https://x/{{ trigger.blob.name }}' }", "reads 'trigger.blob")]
    [InlineData("  - { on: failed, teams: '{{ blocks.a.url }}' }", "may read only")]
    [InlineData("  - { on: failed, webhook: 'http://hooks.example.com/a' }", "plain http:// is allowed to localhost")]
    [InlineData("  - { on: failed, webhook: 'ftp://hooks.example.com/a' }", "must be an https:// URL")]
    [InlineData("  - { on: failed, webhook: 'https://user:pw@hooks.example.com/a' }", "must not carry a user name or password")]
    [InlineData("  - { on: failed, webhook: 'not a url' }", "must be an https:// URL")]
    [InlineData("  - { on: failed }", "needs one destination")]
    [InlineData("  - { on: failed, webhook: 'https://a.example.com', message: '{{ secrets.token }}' }", "may read only run.*")]
    [InlineData("  - { on: failed, webhook: 'https://a.example.com', message: '{{ blocks.a.rows }}' }", "may read only run.*")]
    [InlineData("  - { on: failed, webhook: 'https://a.example.com', message: '{{ env.AzureWebJobsStorage }}' }", "may read only run.*")]
    [InlineData("  - { on: failed, webhook: 'https://a.example.com', slack: 'https://b.example.com' }", "one destination, not 'webhook' and 'slack'")]
    [InlineData("  - { on: [failled], webhook: 'https://a.example.com' }", "did you mean 'failed'")]
    [InlineData("  - { on: failed, webhook: [a, b] }", "'webhook'")]
    [InlineData("  - { on: failed, webhook: 'https://a.example.com', colour: red }", "colour")]
    public void A_bad_alert_is_an_error_at_its_line_that_says_the_fix(string alert, string says)
    {
        var read = Read(alert + "\n");

        Assert.False(read.Result.IsValid);
        var diagnostic = Assert.Single(read.Result.Diagnostics, d => d.IsError);
        Assert.StartsWith("p/pipeline.yaml:5:", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.Contains(says, diagnostic.ToString(), StringComparison.Ordinal);
    }

    private sealed record ValidatedPipelineAlerts(Duraflow.Engine.Validation.ValidatedPipeline Result);
}
