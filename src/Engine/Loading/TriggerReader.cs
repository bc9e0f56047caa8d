using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads <c>triggers:</c>, a list of one-key maps such as <c>- schedule: { cron: "0 6 * * *" }</c>.</summary>
internal static class TriggerReader
{
    private static readonly string[] Kinds = ["schedule", "blob_created", "http"];
    private static readonly string[] ScheduleKeys = ["cron", "timezone", "catch_up", "start_sla"];
    private static readonly string[] BlobKeys = ["connection", "container", "prefix", "suffix"];
    private static readonly string[] HttpKeys = ["enabled"];
    private static readonly string[] CatchUpNames = ["none", "latest", "all"];

    public static List<TriggerDefinition> Read(LoadContext context, YamlNode node)
    {
        var triggers = new List<TriggerDefinition>();
        foreach (var item in context.Sequence(node, "triggers")?.Children ?? [])
        {
            var map = context.Map(item, "a trigger", Kinds);
            if (map is null)
            {
                continue;
            }

            if (map.Node.Children.Count != 1)
            {
                context.Error(DiagnosticCodes.WrongType, item, $"each trigger is one of {string.Join(", ", Kinds)}; start a new '- ' item for each");
                continue;
            }

            var trigger = map["schedule"] is { } s ? (TriggerDefinition?)ReadSchedule(context, s)
                : map["blob_created"] is { } b ? ReadBlob(context, b)
                : map["http"] is { } h ? ReadHttp(context, h)
                : null;
            if (trigger is not null)
            {
                triggers.Add(trigger);
            }
        }

        return triggers;
    }

    private static ScheduleTrigger? ReadSchedule(LoadContext context, YamlNode node)
    {
        var map = context.Map(node, "a schedule trigger", ScheduleKeys);
        if (map?.Required("cron", "a schedule trigger") is not { } cronNode || context.String(cronNode, "'cron'") is not { } cron)
        {
            return null;
        }

        var valid = true;
        if (!Schedules.TryParseCron(cron, out _, out var cronError))
        {
            context.Error(DiagnosticCodes.BadCron, cronNode, $"cron '{cron}' {cronError}");
            valid = false;
        }

        string? timeZone = null;
        if (map["timezone"] is { } zoneNode)
        {
            timeZone = context.TimeZone(zoneNode, "'timezone'");
            valid &= timeZone is not null;
        }

        var catchUp = map["catch_up"] is { } c ? ReadCatchUp(context, c) : CatchUpPolicy.Latest;
        TimeSpan? startSla = null;
        if (map["start_sla"] is { } slaNode)
        {
            startSla = SlaReader.Read(context, slaNode, "'start_sla'");
            valid &= startSla is not null;
        }

        return valid && catchUp is { } policy ? new ScheduleTrigger(cron, timeZone, policy, context.At(node)) { StartSla = startSla } : null;
    }

    // "catch_up" is none, latest or all; false and true are accepted for none and all.
    private static CatchUpPolicy? ReadCatchUp(LoadContext context, YamlNode node)
    {
        if (node is YamlScalarNode { Value: var text } && bool.TryParse(text, out var enabled))
        {
            return enabled ? CatchUpPolicy.All : CatchUpPolicy.None;
        }

        return context.Choice(node, CatchUpNames, "'catch_up'") is { } index ? (CatchUpPolicy)index : null;
    }

    private static BlobCreatedTrigger? ReadBlob(LoadContext context, YamlNode node)
    {
        var map = context.Map(node, "a blob_created trigger", BlobKeys);
        if (map?.Required("container", "a blob_created trigger") is not { } containerNode
            || context.String(containerNode, "'container'") is not { } container)
        {
            return null;
        }

        var connectionNode = map["connection"];
        var connection = connectionNode is null ? null : context.String(connectionNode, "'connection'");
        return new BlobCreatedTrigger(
            connection,
            container,
            map["prefix"] is { } p ? context.String(p, "'prefix'") : null,
            map["suffix"] is { } s ? context.String(s, "'suffix'") : null,
            context.At(node))
        {
            ConnectionReference = connectionNode is not null && connection is not null && !connection.Contains("{{", StringComparison.Ordinal)
                ? new DefinitionReference(DefinitionReference.Connections, connection, context.At(connectionNode))
                : null,
        };
    }

    private static HttpTrigger? ReadHttp(LoadContext context, YamlNode node)
    {
        var map = context.Map(node, "an http trigger", HttpKeys);
        if (map is null)
        {
            return null;
        }

        var enabled = map["enabled"] is { } e ? context.Bool(e, "'enabled'") : true;
        return enabled is { } value ? new HttpTrigger(value, context.At(node)) : null;
    }
}
