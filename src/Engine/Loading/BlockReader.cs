using Duraflow.Blocks.BuiltIns;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Reads one item of <c>blocks:</c>.</summary>
internal static class BlockReader
{
    private static readonly string[] Keys =
        ["name", "description", "uses", "upstream", "with", "retry", "timeout", "when", "fan_out", "cache", "repeat", "limits", "sla"];

    private static readonly string[] CacheKeys = ["ttl", "key", "policy"];

    /// <summary>
    /// Reads a block. Returns its name and where it is written (when readable) even if the block itself is invalid,
    /// so that references to it do not add a second, misleading error.
    /// </summary>
    public static (string? Name, SourceLocation NameLocation, BlockDefinition? Block) Read(LoadContext context, YamlNode node, RetryPolicy pipelineRetry)
    {
        var map = context.Map(node, "a block", Keys);
        if (map is null)
        {
            return (null, context.At(node), null);
        }

        var nameNode = map.Required("name", "a block");
        var name = nameNode is null ? null : context.Name(nameNode, "block name");
        var what = name is null ? "a block" : $"block '{name}'";
        var usesNode = map.Required("uses", what);
        var uses = usesNode is null ? null : ReadUses(context, usesNode, what);

        var references = new List<DefinitionReference>();
        var with = new Dictionary<string, object?>();
        var withLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        DefinitionReference? connection = null;
        DefinitionReference? localPath = null;
        if (map["with"] is YamlMappingNode withMap)
        {
            with = ConfigValueReader.ReadMap(context, withMap, references);
            foreach (var key in withMap.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value is not null))
            {
                withLocations.TryAdd(key.Value!, context.At(key));
            }

            connection = ReadConnection(context, withMap);
            localPath = uses is { Kind: BlockKind.BuiltIn } && BuiltInBlocks.Find(uses.Target) is { } fileBlock && fileBlock.Fields.Any(f => f.Name == "path")
                ? ReadLocalPath(context, withMap)
                : null;
        }
        else if (map["with"] is { } withNode)
        {
            context.Error(DiagnosticCodes.WrongType, withNode, $"'with' of {what} must be a map of settings, not {LoadContext.Describe(withNode)}");
        }

        // A 'with' that is not a map was reported above; its settings cannot be checked.
        if (uses is { Kind: BlockKind.BuiltIn } && BuiltInBlocks.Find(uses.Target) is { } builtIn && map["with"] is null or YamlMappingNode)
        {
            BuiltInSettingsChecker.Check(context, builtIn, map["with"] as YamlMappingNode, usesNode!, what);
        }
        else if (uses is { Kind: BlockKind.Sql } && map["with"] is null or YamlMappingNode)
        {
            BuiltInSettingsChecker.Check(context, "a SQL block", SqlBlockSettings.Fields, map["with"] as YamlMappingNode, usesNode!, what);
        }

        if (IsSql(uses) && map["with"] is YamlMappingNode sqlWith && sqlWith.Children.TryGetValue(new YamlScalarNode(SqlCheckpoint.Setting), out var checkpointNode))
        {
            CheckTextMap(context, checkpointNode, what, SqlCheckpoint.Setting, SqlCheckpoint.Problem);
            if (sqlWith.Children.TryGetValue(new YamlScalarNode("materialize"), out var materialize) && materialize is YamlScalarNode { Value: "table" or "view" })
            {
                context.Error(DiagnosticCodes.BadValue, checkpointNode,
                    $"{what}: with.checkpoint computes its value over the rows the query returns, and with materialize: {((YamlScalarNode)materialize).Value} it returns none; drop materialize, or set the checkpoint in a block that reads the target");
            }
        }

        if (IsIncrementalReader(uses) && map["with"] is YamlMappingNode readWith && readWith.Children.TryGetValue(new YamlScalarNode(IncrementalRead.Setting), out var incrementalNode))
        {
            CheckTextMap(context, incrementalNode, what, IncrementalRead.Setting, IncrementalRead.Problem);
        }

        string? when = null;
        if (map["when"] is { } whenNode && context.Scalar(whenNode, $"'when' of {what}") is { } whenScalar)
        {
            when = whenScalar.Value;
            var problems = context.Diagnostics.Items.Count;
            TemplateCollector.Collect(context, whenScalar, references, values: false);
            if (context.Diagnostics.Items.Count == problems)
            {
                CheckCondition(context, whenScalar, what);
            }
        }

        var retry = map["retry"] is { } r ? RetryReader.Read(context, r, $"'retry' of {what}", pipelineRetry) : pipelineRetry;
        var repeat = map["repeat"] is { } rep ? RepeatReader.Read(context, rep, $"'repeat' of {what}", references) : null;
        var block = new BlockDefinition
        {
            Name = name ?? string.Empty,
            Location = context.At(nameNode ?? node),
            // Uses is null only for a block that is not returned (see the return below).
            Uses = uses!,
            UsesLocation = context.At(usesNode ?? node),
            Description = map["description"] is { } d ? context.String(d, $"'description' of {what}") : null,
            ExplicitUpstream = map["upstream"] is { } u ? ReadUpstream(context, u, what) : [],
            With = with,
            WithLocations = withLocations,
            ConnectionReference = connection,
            LocalPath = localPath,
            TemplateReferences = references,
            Retry = retry,
            Timeout = map["timeout"] is { } t ? context.Duration(t, $"'timeout' of {what}") : null,
            Sla = map["sla"] is { } blockSla ? SlaReader.Read(context, blockSla, $"'sla' of {what}") : null,
            When = when,
            FanOut = map["fan_out"] is { } f && context.Bool(f, $"'fan_out' of {what}") == true,
            Cache = map["cache"] is { } c ? ReadCache(context, c, what, references) : null,
            Repeat = repeat,
            Limits = map["limits"] is { } l ? LimitListReader.Read(context, l, $"'limits' of {what}") : [],
        };
        if (map["cache"] is { } cached && map["repeat"] is not null)
        {
            context.Error(DiagnosticCodes.BadValue, cached, $"{what}: a block that repeats until a condition holds cannot be cached; its output depends on when it ran. Remove 'cache' or 'repeat'");
        }

        if (uses is { IsWait: true })
        {
            CheckWait(context, map, uses.Target, what);
        }
        else if (uses is { Kind: BlockKind.Pipeline })
        {
            CheckChildPipeline(context, map, what);
        }

        if (uses is { Kind: BlockKind.BuiltIn } && BuiltInBlocks.Find(uses.Target) is { } reader)
        {
            CheckInputIsKnown(context, reader, block, usesNode!, what);
        }

        return (name, block.Location, name is not null && uses is not null ? block : null);
    }

    /// <summary>
    /// A built-in that writes its input needs to know which block that is: named in with.input, or else the only
    /// block it depends on. Caught here, not half-way through a run.
    /// </summary>
    private static void CheckInputIsKnown(LoadContext context, BuiltInBlock builtIn, BlockDefinition block, YamlNode usesNode, string what)
    {
        if (builtIn.Fields.All(f => f.Kind != ConfigKind.Input) || block.With.ContainsKey("input"))
        {
            return;
        }

        var upstream = block.ExplicitUpstream.Select(r => r.Name)
            .Concat(block.TemplateReferences.Where(r => r.Root == "blocks").Select(r => r.Name))
            .Distinct(StringComparer.Ordinal).ToList();
        if (upstream.Count != 1)
        {
            context.Error(DiagnosticCodes.MissingKey, usesNode, upstream.Count == 0
                ? $"{what}: {builtIn.Id} writes another block's output; set with.input to \"{{{{ blocks.NAME }}}}\""
                : $"{what}: {builtIn.Id} depends on {string.Join(", ", upstream)}; set with.input to the one it writes, as in \"{{{{ blocks.{upstream[0]} }}}}\"");
        }
    }

    // A block that runs a pipeline takes only its parameters; its child's blocks have their own timeouts, limits and
    // repeats, and its output is one value.
    private static void CheckChildPipeline(LoadContext context, YamlMap map, string what)
    {
        foreach (var key in new[] { "fan_out", "repeat", "limits", "timeout", "cache" })
        {
            if (map[key] is { } written)
            {
                context.Error(DiagnosticCodes.BadValue, written, $"{what}: '{key}' has no effect on a block that runs a pipeline; set it on the child pipeline or its blocks");
            }
        }

        if (map["with"] is YamlMappingNode with)
        {
            foreach (var key in with.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "parameters"))
            {
                context.Error(DiagnosticCodes.UnknownKey, key, $"{what}: with.{key.Value} is not a setting of a block that runs a pipeline; its only setting is parameters: {{ NAME: VALUE }}");
            }

            if (with.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "parameters" }).Value is { } parameters and not YamlMappingNode && !LoadContext.IsNull(parameters))
            {
                context.Error(DiagnosticCodes.WrongType, parameters, $"{what}: with.parameters must be a map of the child pipeline's parameters, not {LoadContext.Describe(parameters)}");
            }
        }
    }

    // A wait's output is the time it ended: one value, nothing to fan out over or to test again.
    private static void CheckWait(LoadContext context, YamlMap map, string id, string what)
    {
        if (map["fan_out"] is { } fanOut && context.Bool(fanOut, $"'fan_out' of {what}") == true)
        {
            context.Error(DiagnosticCodes.BadValue, fanOut, $"{what}: {id} cannot fan out; its output is the one time its wait ended. Fan out in the block before it, and the wait runs once per item");
        }

        if (map["repeat"] is { } repeat)
        {
            context.Error(DiagnosticCodes.BadValue, repeat, $"{what}: {id} cannot repeat; put 'repeat' on the block that checks the condition, whose every run waits 'every' already");
        }

        // The block's timeout bounds an attempt, and a wait's attempt only works out what to wait for.
        if (map["timeout"] is { } timeout)
        {
            var instead = id is WaitBlocks.Signal or WaitBlocks.Approval ? "with.timeout bounds the wait" : "the wait's own setting says how long";
            context.Error(DiagnosticCodes.BadValue, timeout, $"{what}: a block 'timeout' has no effect on {id}, which waits without an attempt; {instead}");
        }

        if (map["with"] is YamlMappingNode settings && settings.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "on_timeout")
            && !settings.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "timeout"))
        {
            context.Error(DiagnosticCodes.BadValue, settings.Children.Keys.OfType<YamlScalarNode>().First(k => k.Value == "on_timeout"),
                $"{what}: with.on_timeout has no effect without with.timeout; set how long to wait, or remove on_timeout");
        }

        if (map["cache"] is { } cache)
        {
            context.Error(DiagnosticCodes.BadValue, cache, $"{what}: {id} cannot be cached; its output is when its wait ended, which no earlier run knows");
        }

        if (map["limits"] is { } limits)
        {
            context.Error(DiagnosticCodes.BadValue, limits, $"{what}: {id} takes no limits; it runs no code while it waits. Put 'limits' on the blocks that do the work");
        }

        // A literal signal name is checked now; a templated one when the block renders it.
        if (map["with"] is YamlMappingNode with
            && with.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { } name } scalar
            && !name.Contains("{{", StringComparison.Ordinal) && !WaitBlocks.IsSignalName(name))
        {
            context.Error(DiagnosticCodes.BadValue, scalar, $"{what}: '{name}' is not a signal name; use {WaitBlocks.SignalNameRule}");
        }
    }

    // The run parses the condition before the block starts; what it would refuse is refused now.
    private static void CheckCondition(LoadContext context, YamlScalarNode when, string what)
    {
        try
        {
            WhenParser.Parse(when.Value ?? string.Empty);
        }
        catch (WhenExpressionException e)
        {
            context.Error(DiagnosticCodes.BadTemplate, when, $"'when' of {what}: {e.Message}");
        }
    }

    private static BlockUses? ReadUses(LoadContext context, YamlNode node, string what)
    {
        var text = context.String(node, $"'uses' of {what}");
        if (text is null)
        {
            return null;
        }

        if (BlockUses.TryParse(text, out var uses, out var error))
        {
            return uses;
        }

        context.Error(DiagnosticCodes.BadUses, node, error!);
        return null;
    }

    // Only a literal path of a block without a connection is a local file known before the run.
    private static DefinitionReference? ReadLocalPath(LoadContext context, YamlMappingNode with)
    {
        if (with.Children.Any(c => c.Key is YamlScalarNode { Value: "connection" }))
        {
            return null;
        }

        var value = with.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "path" }).Value;
        return value is YamlScalarNode { Value: { Length: > 0 } path } scalar && !path.Contains("{{", StringComparison.Ordinal)
            ? new DefinitionReference(DefinitionReference.Files, path, context.At(scalar))
            : null;
    }

    // A plain connection name is checked against io_config.yaml; a templated one is known only at run time.
    private static DefinitionReference? ReadConnection(LoadContext context, YamlMappingNode with)
    {
        var value = with.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "connection" }).Value;
        return value is YamlScalarNode { Value: { Length: > 0 } name } scalar && !LoadContext.IsNull(scalar) && !name.Contains("{{", StringComparison.Ordinal)
            ? new DefinitionReference(DefinitionReference.Connections, name, context.At(scalar))
            : null;
    }

    private static List<DefinitionReference> ReadUpstream(LoadContext context, YamlNode node, string what) =>
    [
        .. context.ScalarList(node, $"'upstream' of {what}")
            .Select(item => new DefinitionReference(TemplateRoots.Blocks, item.Value ?? string.Empty, context.At(item))),
    ];

    // "cache" is true/false, or a map with an optional ttl, key template and policy (the parts of the default key).
    private static CachePolicy? ReadCache(LoadContext context, YamlNode node, string what, List<DefinitionReference> references)
    {
        if (node is YamlScalarNode)
        {
            return context.Bool(node, $"'cache' of {what}") == true ? new CachePolicy(null, null) : null;
        }

        var map = context.Map(node, $"'cache' of {what}", CacheKeys);
        if (map is null)
        {
            return null;
        }

        var key = map["key"] is { } keyNode ? context.Scalar(keyNode, $"cache 'key' of {what}") : null;
        if (key is not null)
        {
            TemplateCollector.Collect(context, key, references);
        }

        // A duration is longer than zero, so no TTL makes an entry expire before it is made.
        var ttl = map["ttl"] is { } ttlNode ? context.Duration(ttlNode, $"cache 'ttl' of {what}") : null;

        var parts = map["policy"] is { } policy ? ReadCacheParts(context, policy, what, key is not null) : null;
        return new CachePolicy(ttl, key?.Value, parts);
    }

    // policy: one part or a list of them; an empty list is a key made of the key template alone.
    private static List<string>? ReadCacheParts(LoadContext context, YamlNode node, string what, bool hasKey)
    {
        var parts = new List<string>();
        foreach (var item in context.ScalarList(node, $"cache 'policy' of {what}"))
        {
            if (!CacheParts.All.Contains(item.Value ?? ""))
            {
                context.Error(DiagnosticCodes.BadValue, item,
                    $"{what}: cache policy '{item.Value}' is not a part of the cache key; use any of {string.Join(", ", CacheParts.All)}");
            }
            else if (parts.Contains(item.Value!))
            {
                context.Error(DiagnosticCodes.BadValue, item, $"{what}: cache policy names '{item.Value}' twice; name each part once");
            }
            else
            {
                parts.Add(item.Value!);
            }
        }

        if (parts.Count == 0 && !hasKey)
        {
            context.Error(DiagnosticCodes.BadValue, node,
                $"{what}: a cache policy with no parts and no 'key' would reuse one output for every run; name parts ({string.Join(", ", CacheParts.All)}) or set 'key'");
        }

        return [.. CacheParts.All.Where(parts.Contains)];
    }

    /// <summary>A block that runs SQL with the SQL settings: a SQL file, or <c>sql.query</c>.</summary>
    public static bool IsSql(BlockUses? uses) => uses is { Kind: BlockKind.Sql } or { Kind: BlockKind.BuiltIn, Target: "sql.query" };

    /// <summary>A file reader that takes <c>with.incremental</c>.</summary>
    public static bool IsIncrementalReader(BlockUses? uses) =>
        uses is { Kind: BlockKind.BuiltIn } && BuiltInBlocks.Find(uses.Target) is { } builtIn && builtIn.Fields.Any(f => f.Name == IncrementalRead.Setting);

    // A map setting of single texts (with.checkpoint of a SQL block, with.incremental of a file reader), checked now
    // rather than after the block ran.
    private static void CheckTextMap(LoadContext context, YamlNode node, string what, string setting, Func<IReadOnlyDictionary<string, string>, string?> problemOf)
    {
        if (node is not YamlMappingNode map)
        {
            return;
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
            {
                texts[name] = text;
            }
            else
            {
                context.Error(DiagnosticCodes.WrongType, value, $"{what}: with.{setting} takes keys with single texts: {key} is not one");
                return;
            }
        }

        if (problemOf(texts) is { } problem)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"{what}: with.{setting} {problem}");
        }
    }
}
