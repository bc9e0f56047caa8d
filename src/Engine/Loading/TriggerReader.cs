using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads <c>triggers:</c>, a list of one-key maps such as <c>- schedule: { cron: "0 6 * * *" }</c>.</summary>
internal static class TriggerReader
{
    private static readonly string[] Kinds = ["schedule", "blob_created", "http"];
    private static readonly string[] ScheduleKeys = ["cron", "every", "anchor", "timezone", "catch_up", "start_sla"];
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
        if (map is null)
        {
            return null;
        }

        // Exactly one of cron and every says when it fires.
        var (cronNode, everyNode) = (map["cron"], map["every"]);
        if ((cronNode is null) == (everyNode is null))
        {
            context.Error(cronNode is null ? DiagnosticCodes.MissingKey : DiagnosticCodes.BadValue, everyNode ?? node,
                cronNode is null
                    ? "a schedule trigger needs 'cron' (as in cron: \"0 6 * * *\") or 'every' (as in every: 15m)"
                    : "a schedule trigger takes 'cron' or 'every', not both; make two triggers for two schedules");
            return null;
        }

        var valid = true;
        string? cron = null;
        ScheduleInterval? interval = null;
        if (cronNode is not null)
        {
            cron = context.String(cronNode, "'cron'");
            if (cron is null)
            {
                return null;
            }

            if (!Schedules.TryParseCron(cron, out _, out var cronError))
            {
                context.Error(DiagnosticCodes.BadCron, cronNode, $"cron '{cron}' {cronError}");
                valid = false;
            }

            if (map["anchor"] is { } stray)
            {
                context.Error(DiagnosticCodes.BadValue, stray, "'anchor' counts an interval schedule's ticks; a cron schedule has none. Remove it, or use 'every'");
                valid = false;
            }
        }
        else
        {
            interval = ReadInterval(context, map, everyNode!);
            valid &= interval is not null;
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

        return valid && catchUp is { } policy ? new ScheduleTrigger(cron, timeZone, policy, context.At(node)) { StartSla = startSla, Interval = interval } : null;
    }

    // every: a duration from a second to a year; anchor: a date and time, local to the schedule's zone unless it has an offset.
    private static ScheduleInterval? ReadInterval(LoadContext context, YamlMap map, YamlNode everyNode)
    {
        var every = context.Duration(everyNode, "'every'");
        if (every is { } given && (given < Schedules.MinInterval || given > Schedules.MaxInterval))
        {
            context.Error(DiagnosticCodes.BadValue, everyNode,
                $"'every' is {Blocks.Text.Duration.Format(given)}; an interval schedule fires every 1s to 366d (for less, use a loop in a block; for more, a cron)");
            every = null;
        }

        var anchor = ScheduleInterval.DefaultAnchor;
        if (map["anchor"] is { } anchorNode)
        {
            anchor = context.String(anchorNode, "'anchor'") ?? "";
            if (!Schedules.TryParseAnchor(anchor, out _, out _))
            {
                context.Error(DiagnosticCodes.BadValue, anchorNode,
                    $"'anchor' '{anchor}' is not a date and time; write it as 2026-01-01T00:00:00 (read in the schedule's zone) or with an offset, 2026-01-01T00:00:00+01:00");
                return null;
            }
        }

        return every is { } interval ? new ScheduleInterval(interval, anchor) : null;
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
