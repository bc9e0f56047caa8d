using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads <c>alerts:</c>, a list of <c>{ on: [failed], webhook: URL, message: TEXT }</c>.</summary>
internal static class AlertReader
{
    private static readonly string[] Keys = ["on", "webhook", "message"];
    private static readonly string[] EventNames = ["failed", "succeeded", "cancelled", "retrying", "sla_missed"];

    public static List<AlertDefinition> Read(LoadContext context, YamlNode node, List<DefinitionReference> references)
    {
        var alerts = new List<AlertDefinition>();
        foreach (var item in context.Sequence(node, "alerts")?.Children ?? [])
        {
            var map = context.Map(item, "an alert", Keys);
            if (map is null)
            {
                continue;
            }

            var events = map.Required("on", "an alert") is { } onNode ? ReadEvents(context, onNode) : null;
            var webhookNode = map.Required("webhook", "an alert");
            var webhook = webhookNode is null ? null : context.Scalar(webhookNode, "'webhook'");
            if (webhook is not null)
            {
                CheckWebhook(context, webhook, references);
            }

            var message = map["message"] is { } m ? context.Scalar(m, "'message'") : null;
            if (message is not null)
            {
                TemplateCollector.Collect(context, message, references);
            }

            if (events is not null && webhook?.Value is { } url)
            {
                alerts.Add(new AlertDefinition(events, url, message?.Value, context.At(item)));
            }
        }

        return alerts;
    }

    private static void CheckWebhook(LoadContext context, YamlScalarNode webhook, List<DefinitionReference> references)
    {
        var url = webhook.Value ?? string.Empty;
        if (url.Contains("{{", StringComparison.Ordinal))
        {
            TemplateCollector.Collect(context, webhook, references);
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            context.Error(DiagnosticCodes.BadValue, webhook, $"'webhook' '{url}' must be an https:// URL, or a template such as {{{{ secrets.alert_webhook }}}} that gives one");
        }
    }

    private static List<AlertEvent>? ReadEvents(LoadContext context, YamlNode node)
    {
        var events = new List<AlertEvent>();
        var items = context.ScalarList(node, "'on'");
        if (items.Count == 0 && node is YamlSequenceNode)
        {
            context.Error(DiagnosticCodes.MissingKey, node, $"an alert needs at least one event in 'on': {string.Join(", ", EventNames)}");
            return null;
        }

        foreach (var item in items)
        {
            if (context.Choice(item, EventNames, "alert event") is not { } index)
            {
                return null;
            }

            events.Add((AlertEvent)index);
        }

        return events;
    }
}
