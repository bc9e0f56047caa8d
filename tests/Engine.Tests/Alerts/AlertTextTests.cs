using System.Text.Json;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>An alert's destination and message, filled in when it is sent.</summary>
public sealed class AlertTextTests
{
    private static readonly RunState Run = new()
    {
        RunId = "orders-20261207-0600",
        Pipeline = "orders",
        Trigger = "schedule",
        RequestedAt = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero),
        Parameters = new Dictionary<string, JsonElement>
        {
            ["day"] = JsonSerializer.SerializeToElement("2026-12-06"),
            ["password"] = JsonSerializer.SerializeToElement("hunter2"),
        },
        TriggerValues = new Dictionary<string, JsonElement> { ["blob"] = JsonSerializer.SerializeToElement(new { name = "landing/orders.csv" }) },
    };

    private readonly List<string> _secretsRead = [];

    private Task<string> Secret(string name, CancellationToken _)
    {
        _secretsRead.Add(name);
        return Task.FromResult(name == "slack_hook" ? "https://hooks.slack.com/services/T/B/X" : throw new InvalidOperationException(name));
    }

    [Fact]
    public async Task A_destination_reads_its_secret_and_environment_variables()
    {
        var url = await AlertText.RenderAsync("{{ secrets.slack_hook }}", Run, null, Secret, _ => null, CancellationToken.None);
        var fromEnvironment = await AlertText.RenderAsync("https://{{ env.HOOK_HOST }}/alerts", Run, null, Secret, n => n == "HOOK_HOST" ? "hooks.example.com" : null, CancellationToken.None);

        Assert.Equal("https://hooks.slack.com/services/T/B/X", url);
        Assert.Equal("https://hooks.example.com/alerts", fromEnvironment);
        Assert.Equal(["slack_hook"], _secretsRead);
    }

    [Fact]
    public async Task A_message_reads_the_run_its_parameters_with_secret_ones_masked_and_its_trigger()
    {
        var text = await AlertText.RenderAsync(
            "{{ run.pipeline }} {{ run.id }} ({{ run.trigger }}) for {{ params.day }}, password {{ params.password }}, file {{ trigger.blob.name }}{{ params.missing }}",
            Run, ["password"], Secret, _ => null, CancellationToken.None);

        Assert.Equal("orders orders-20261207-0600 (schedule) for 2026-12-06, password ***, file landing/orders.csv", text);
        Assert.Empty(_secretsRead);
    }
}
