using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Reads <c>alerts:</c>, a list of <c>{ on: [failed], webhook | slack | teams: URL, message: TEXT }</c>, or in a
/// pipeline <c>{ inherit: false, send: [ … ] }</c> to leave out the project's default alerts (duraflow.yaml's
/// <c>alerts.send</c>). The URL is <c>https://</c> (<c>http://</c> to a loopback host, for local testing) or a template
/// of <c>secrets.*</c> and <c>env.*</c> only: parameters, trigger values and block outputs could let a caller choose
/// where alerts go.
/// </summary>
internal static class AlertReader
{
    private static readonly string[] Keys = ["on", "webhook", "slack", "teams", "message"];

    private static readonly string[] PipelineKeys = ["inherit", "send"];

    // The index of each name is its AlertEvent value.
    private static readonly string[] EventNames = ["failed", "succeeded", "cancelled", "retrying", "sla_missed", "started"];

    private static readonly (string Key, AlertDestination Destination)[] Destinations =
        [("webhook", AlertDestination.Webhook), ("slack", AlertDestination.Slack), ("teams", AlertDestination.Teams)];

    private static readonly string[] DestinationRoots = ["secrets", "env"];

    // A message goes to a chat or a receiver's log: no secrets, nor environment variables (in Azure, app settings hold
    // connection strings and Key Vault values); and a run's alert has no block inputs to read.
    private static readonly string[] MessageRoots = ["run", "params", "trigger"];

    // A project's default alerts go with every pipeline, whose parameters differ: their messages cannot name one.
    private static readonly string[] ProjectMessageRoots = ["run", "trigger"];

    /// <summary>A pipeline's <c>alerts:</c>: its own alerts, and whether the project's defaults are sent too.</summary>
    public static (List<AlertDefinition> Alerts, bool Inherit) ReadPipeline(LoadContext context, YamlNode node, List<DefinitionReference> references)
    {
        if (node is not YamlMappingNode)
        {
            return (Read(context, node, references, MessageRoots), true);
        }

        var map = context.Map(node, "'alerts'", PipelineKeys);
        if (map is null)
        {
            return ([], true);
        }

        var inherit = map["inherit"] is not { } i || context.Bool(i, "alerts 'inherit'") != false;
        return (map["send"] is { } send ? Read(context, send, references, MessageRoots) : [], inherit);
    }

    /// <summary>duraflow.yaml's <c>alerts.send</c>: the alerts every pipeline sends unless it turns them off.</summary>
    public static List<AlertDefinition> ReadProject(LoadContext context, YamlNode node) => Read(context, node, [], ProjectMessageRoots);

    private static List<AlertDefinition> Read(LoadContext context, YamlNode node, List<DefinitionReference> references, string[] messageRoots)
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
            var destination = ReadDestination(context, item, map, references);
            var message = map["message"] is { } m ? context.Scalar(m, "'message'") : null;
            if (message is not null)
            {
                ReadMessage(context, message, references, messageRoots);
            }

            if (events is not null && destination is { } d)
            {
                alerts.Add(new AlertDefinition(events, d.Url, message?.Value, context.At(item), d.Kind));
            }
        }

        return alerts;
    }

    private static (AlertDestination Kind, string Url)? ReadDestination(LoadContext context, YamlNode item, YamlMap map, List<DefinitionReference> references)
    {
        var given = Destinations.Where(d => map[d.Key] is not null).ToList();
        if (given.Count != 1)
        {
            context.Error(
                given.Count == 0 ? DiagnosticCodes.MissingKey : DiagnosticCodes.BadValue,
                item,
                given.Count == 0
                    ? "an alert needs one destination: 'webhook', 'slack' or 'teams', an https:// URL or a template such as {{ secrets.alert_webhook }}"
                    : $"an alert has one destination, not {string.Join(" and ", given.Select(d => $"'{d.Key}'"))}: write one alert per destination");
            return null;
        }

        var (key, kind) = given[0];
        if (context.Scalar(map[key]!, $"'{key}'") is not { } scalar)
        {
            return null;
        }

        var url = scalar.Value ?? string.Empty;
        if (url.Contains("{{", StringComparison.Ordinal))
        {
            var found = new List<DefinitionReference>();
            TemplateCollector.Collect(context, scalar, found);
            foreach (var reference in found.Where(r => !DestinationRoots.Contains(r.Root, StringComparer.Ordinal)))
            {
                context.Error(
                    DiagnosticCodes.BadTemplate, scalar,
                    $"'{key}' reads '{reference.Root}.{reference.Name}', but an alert's destination may read only {{{{ secrets.* }}}} and {{{{ env.* }}}}, so that no caller can choose where alerts go");
            }

            // Only a destination that passes is checked further (an unknown secret, say): one error per mistake.
            if (found.Any(r => !DestinationRoots.Contains(r.Root, StringComparer.Ordinal)))
            {
                return null;
            }

            references.AddRange(found);
            return (kind, url);
        }

        if (AlertUrls.Refusal(url) is { } refusal)
        {
            context.Error(DiagnosticCodes.BadValue, scalar, $"'{key}' '{url}' {refusal}, or a template such as {{{{ secrets.alert_webhook }}}} that gives one");
            return null;
        }

        return (kind, url);
    }

    private static void ReadMessage(LoadContext context, YamlScalarNode message, List<DefinitionReference> references, string[] roots)
    {
        var found = new List<DefinitionReference>();
        TemplateCollector.Collect(context, message, found);
        foreach (var reference in found.Where(r => !roots.Contains(r.Root, StringComparer.Ordinal)))
        {
            var allowed = roots == MessageRoots
                ? "run.*, params.* (secret ones show as ***) and trigger.*: it is sent to a chat or a receiver's log"
                : "run.* and trigger.*: a project's default alert goes with every pipeline, whatever parameters each declares";
            context.Error(
                DiagnosticCodes.BadTemplate, message,
                $"'message' reads '{reference.Root}.{reference.Name}', but an alert's message may read only {allowed}");
        }

        references.AddRange(found.Where(r => roots.Contains(r.Root, StringComparer.Ordinal)));
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

            if (!events.Contains((AlertEvent)index))
            {
                events.Add((AlertEvent)index);
            }
        }

        return events;
    }
}
