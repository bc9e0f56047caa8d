using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests.Alerts;

/// <summary>The bodies sent for an alert, checked against their documented shapes.</summary>
public sealed class AlertPayloadsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private static readonly AlertFacts Failed = new(AlertEvent.Failed, "orders", "orders-1", "failed", "schedule", T0.AddSeconds(75), "orders-1/alert/0/failed/0")
    {
        Message = "orders <b>&</b> load failed",
        StartedAt = T0,
        EndedAt = T0.AddSeconds(75),
        FailedBlocks = [("load", "the warehouse refused the login\n   at Npgsql..."), ("load[2]", new string('x', 500))],
        Link = new Uri("https://duraflow.example.com/runs/orders-1"),
    };

    [Fact]
    public void The_webhook_body_names_every_fact()
    {
        var body = AlertPayloads.Webhook(Failed);

        Assert.Equal("failed", (string?)body["event"]);
        Assert.Equal("orders", (string?)body["pipeline"]);
        Assert.Equal("orders-1", (string?)body["run_id"]);
        Assert.Equal("failed", (string?)body["status"]);
        Assert.Equal("schedule", (string?)body["trigger"]);
        Assert.Equal("orders <b>&</b> load failed", (string?)body["message"]);
        Assert.Equal(75.0, (double?)body["duration_seconds"]);
        Assert.Equal("https://duraflow.example.com/runs/orders-1", (string?)body["link"]);
        Assert.Equal("orders-1/alert/0/failed/0", (string?)body["idempotency_key"]);
        var failed = body["failed_blocks"]!.AsArray();
        Assert.Equal(("load", "the warehouse refused the login"), ((string?)failed[0]!["block"], (string?)failed[0]!["error"]));
        Assert.Equal(300, ((string?)failed[1]!["error"])!.Length);
        Assert.Null(body["block"]);
        Assert.Null(body["attempt"]);
    }

    [Fact]
    public void The_slack_body_is_block_kit_with_a_fallback_text_and_escaped_markup()
    {
        var body = AlertPayloads.Slack(Failed);

        Assert.StartsWith("orders run failed: ", (string?)body["text"], StringComparison.Ordinal);
        var blocks = body["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "section", "section", "actions"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("plain_text", (string?)blocks[0]!["text"]!["type"]);
        Assert.Equal("orders &lt;b&gt;&amp;&lt;/b&gt; load failed", (string?)blocks[1]!["text"]!["text"]);
        Assert.All(blocks[2]!["fields"]!.AsArray(), f => Assert.Equal("mrkdwn", (string?)f!["type"]));
        Assert.InRange(blocks[2]!["fields"]!.AsArray().Count, 1, 10);
        Assert.Contains("`load`", (string?)blocks[3]!["text"]!["text"], StringComparison.Ordinal);
        Assert.Equal("https://duraflow.example.com/runs/orders-1", (string?)blocks[4]!["elements"]![0]!["url"]);
    }

    [Fact]
    public void The_teams_body_is_one_adaptive_card_in_a_message()
    {
        var body = AlertPayloads.Teams(Failed);

        Assert.Equal("message", (string?)body["type"]);
        var attachment = Assert.Single(body["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.4", (string?)card["version"]);
        var body0 = card["body"]!.AsArray();
        Assert.Equal("orders run failed", (string?)body0[0]!["text"]);
        Assert.Contains(body0, b => (string?)b!["type"] == "FactSet" && b["facts"]!.AsArray().Any(f => (string?)f!["title"] == "Run" && (string?)f["value"] == "orders-1"));
        Assert.Equal("Action.OpenUrl", (string?)card["actions"]![0]!["type"]);
    }

    [Fact]
    public void Text_a_caller_can_influence_cannot_mention_everyone_or_add_a_link()
    {
        var hostile = Failed with { Message = "<!channel> see [the fix](https://evil.example.com) <https://evil.example.com|Open the run>" };

        var slack = AlertPayloads.Slack(hostile);
        var teams = AlertPayloads.Teams(hostile);

        // Slack: the fallback text is escaped like the blocks, so no <...> reaches Slack's parser.
        Assert.DoesNotContain("<", (string)slack["text"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(slack["blocks"]!.AsArray(), b => b!.ToJsonString().Contains("<!channel>", StringComparison.Ordinal));

        // Teams: the message and the errors are TextRuns, which Adaptive Cards never read as markdown.
        var body = teams["attachments"]![0]!["content"]!["body"]!.AsArray();
        var message = Assert.Single(body, b => b!.ToJsonString().Contains("evil.example.com", StringComparison.Ordinal))!;
        Assert.Equal("RichTextBlock", (string?)message["type"]);
        Assert.Equal(("TextRun", hostile.Message), ((string?)message["inlines"]![0]!["type"], (string?)message["inlines"]![0]!["text"]));
        Assert.All(body.Where(b => (string?)b!["type"] == "TextBlock"), b => Assert.DoesNotContain("evil", b!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_retry_names_its_block_and_attempt_and_a_run_without_a_link_has_no_button()
    {
        var retry = new AlertFacts(AlertEvent.Retrying, "orders", "orders-1", "running", "http", T0, "k") { Block = "load", Attempt = 2, StartedAt = T0 };

        var webhook = AlertPayloads.For(AlertDestination.Webhook, retry);
        var slack = AlertPayloads.For(AlertDestination.Slack, retry);
        var teams = AlertPayloads.For(AlertDestination.Teams, retry);

        Assert.Equal(("load", 2), ((string?)webhook["block"], (int?)webhook["attempt"]));
        Assert.Equal("orders: load is retried (attempt 2)", (string?)slack["text"]);
        Assert.DoesNotContain(slack["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Null(teams["attachments"]![0]!["content"]!["actions"]);
    }
}
