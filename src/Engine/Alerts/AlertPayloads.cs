using System.Globalization;
using System.Text.Json.Nodes;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Alerts;

/// <summary>
/// The body sent for an alert, by destination: Duraflow's own JSON for a <c>webhook</c> (docs/pipelines.md,
/// "Alerts"), a Block Kit message for a Slack incoming webhook, an Adaptive Card for a Teams workflow webhook.
/// </summary>
internal static class AlertPayloads
{
    /// <summary>The longest error line sent per failed block, and the most failed blocks listed.</summary>
    private const int LongestError = 300;

    private const int MostFailedBlocks = 10;

    public static JsonObject For(AlertDestination destination, AlertFacts facts) => destination switch
    {
        AlertDestination.Slack => Slack(facts),
        AlertDestination.Teams => Teams(facts),
        _ => Webhook(facts),
    };

    /// <summary>Duraflow's own body: every fact by name, times in ISO 8601, the duration in seconds.</summary>
    public static JsonObject Webhook(AlertFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new JsonObject
        {
            ["event"] = facts.EventName,
            ["pipeline"] = facts.Pipeline,
            ["run_id"] = facts.RunId,
            ["status"] = facts.Status,
            ["trigger"] = facts.Trigger,
            ["message"] = facts.Message,
            ["block"] = facts.Block,
            ["attempt"] = facts.Attempt,
            ["failed_blocks"] = new JsonArray([.. Failed(facts).Select(f => (JsonNode)new JsonObject { ["block"] = f.Block, ["error"] = f.Error })]),
            ["started_at"] = facts.StartedAt,
            ["ended_at"] = facts.EndedAt,
            ["duration_seconds"] = facts.Duration is { } d ? Math.Round(d.TotalSeconds, 3) : null,
            ["link"] = facts.Link?.ToString(),
            ["at"] = facts.At,
            ["idempotency_key"] = facts.IdempotencyKey,
        };
    }

    /// <summary>A Slack Block Kit message: a header, the text, the run's facts as fields, the failed blocks, a link.</summary>
    public static JsonObject Slack(AlertFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var fields = Facts(facts).Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{SlackText(f.Name)}*\n{SlackText(f.Value)}" });
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(facts.Title, 150) } },
        };
        if (facts.Message is { Length: > 0 } message)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(SlackText(message), 3000) } });
        }

        // Slack allows at most 10 fields in a section.
        blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. fields.Take(10)]) });
        if (Failed(facts) is { Count: > 0 } failed)
        {
            var lines = string.Join("\n", failed.Select(f => $"• `{SlackText(f.Block)}`: {SlackText(f.Error)}"));
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(lines, 3000) } });
        }

        if (facts.Link is { } link)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray
                {
                    new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open the run" }, ["url"] = link.ToString() },
                },
            });
        }

        // "text" is the notification's fallback, shown where blocks are not.
        // It is parsed as mrkdwn too, so it is escaped like the blocks: a parameter must not mention @channel or link.
        return new JsonObject { ["text"] = Cut(SlackText(facts.Message is { Length: > 0 } m ? $"{facts.Title}: {m}" : facts.Title), 3000), ["blocks"] = blocks };
    }

    /// <summary>A Teams workflow webhook's message: one Adaptive Card (1.4) with the title, the text, a fact set and a link.</summary>
    public static JsonObject Teams(AlertFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = facts.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (facts.Message is { Length: > 0 } message)
        {
            body.Add(PlainText(message, null));
        }

        body.Add(new JsonObject
        {
            ["type"] = "FactSet",
            ["facts"] = new JsonArray([.. Facts(facts).Select(f => (JsonNode)new JsonObject { ["title"] = f.Name, ["value"] = f.Value })]),
        });
        foreach (var (block, error) in Failed(facts))
        {
            body.Add(PlainText($"{block}: {error}", "Attention"));
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (facts.Link is { } link)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the run", ["url"] = link.ToString() } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    // The run's facts, as name and value, in the order people read them.
    private static List<(string Name, string Value)> Facts(AlertFacts facts)
    {
        var list = new List<(string, string)> { ("Run", facts.RunId), ("Status", facts.Status), ("Trigger", facts.Trigger) };
        if (facts.Block is { } block)
        {
            list.Add(("Block", facts.Attempt is { } attempt ? $"{block} (attempt {attempt.ToString(CultureInfo.InvariantCulture)})" : block));
        }

        if (facts.Duration is { } duration)
        {
            list.Add(("Duration", Words(duration)));
        }

        list.Add(("At", facts.At.ToString("u", CultureInfo.InvariantCulture)));
        return list;
    }

    private static List<(string Block, string Error)> Failed(AlertFacts facts) =>
        [.. facts.FailedBlocks.Take(MostFailedBlocks).Select(f => (f.Block, Cut(FirstLine(f.Error), LongestError)))];

    private static string Words(TimeSpan duration) => duration.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s")
        : duration.TotalHours < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min");

    // Slack's mrkdwn reads &, < and > as markup; escaped, text stays text.
    private static string SlackText(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // Text a caller can influence (the message reads parameters, an error quotes data) goes in a TextRun, which Adaptive
    // Cards never read as markdown: it shows as written and cannot add a link to the card. (A TextBlock's text is markdown.)
    private static JsonObject PlainText(string text, string? color)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (color is not null)
        {
            run["color"] = color;
        }

        return new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray { run } };
    }

    private static string FirstLine(string text) => text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? text[..end] : text;

    private static string Cut(string text, int most) => text.Length <= most ? text : text[..(most - 1)] + "…";
}
