namespace Duraflow.Architecture.Tests;

/// <summary>
/// The layers of docs/architecture.md, bottom first. A namespace may use namespaces of lower layers only; namespaces
/// in one layer are siblings and do not use each other. A new namespace must be placed here before it builds green.
/// </summary>
internal static class Layers
{
    public static readonly IReadOnlyList<IReadOnlyList<string>> BottomUp =
    [
        // Blocks: the block SDK above its text primitives, the executors above the SDK.
        ["Duraflow.Blocks.Text"],
        ["Duraflow.Blocks"],
        ["Duraflow.Blocks.Templates"],
        ["Duraflow.Blocks.Settings", "Duraflow.Blocks.Scripts", "Duraflow.Blocks.Compiled"],
        ["Duraflow.Blocks.Sql"],
        ["Duraflow.Blocks.BuiltIns"],
        ["Duraflow.Blocks.Catalog"],

        // Engine: diagnostics at the bottom, definitions and the pure decider, stores, projects and validation, then
        // the runtime that starts and commits runs, what drives it (workers, triggers) and the wiring of it all.
        ["Duraflow.Engine.Diagnostics"],
        ["Duraflow.Engine.Definitions"],
        ["Duraflow.Engine.Dag", "Duraflow.Engine.Loading", "Duraflow.Engine.Runs"],
        ["Duraflow.Engine.Storage"],
        ["Duraflow.Engine.Storage.Sqlite", "Duraflow.Engine.Storage.Azure", "Duraflow.Engine.Secrets", "Duraflow.Engine.Alerts"],
        ["Duraflow.Engine.Projects"],
        ["Duraflow.Engine.Connections"],
        ["Duraflow.Engine.Validation"],
        ["Duraflow.Engine.Runtime"],
        ["Duraflow.Engine.Workers", "Duraflow.Engine.Triggers.Schedules", "Duraflow.Engine.Triggers.BlobEvents"],
        ["Duraflow.Engine.Hosting"],

        // The durable runtime: the orchestrator, activities and runtime, then the in-process host that runs them.
        ["Duraflow.Durable"],
        ["Duraflow.Durable.Local"],

        // The API: its shared services, then auth and the background work, then the endpoints and triggers, then
        // the one composition every host uses.
        ["Duraflow.Api"],
        ["Duraflow.Api.Auth", "Duraflow.Api.Workers", "Duraflow.Api.Generation"],
        ["Duraflow.Api.Http", "Duraflow.Api.Triggers", "Duraflow.Api.Dashboard"],
        ["Duraflow.Api.Mcp"],
        ["Duraflow.Api.Setup"],

        // The Azure Functions app: the functions the Functions host invokes, which hand their triggers to the API.
        ["Duraflow.Functions"],

        // The duraflow command: its shared parts, the terminal output, the commands.
        ["Duraflow.Cli"],
        ["Duraflow.Cli.Output"],
        ["Duraflow.Cli.Commands"],
    ];

    /// <summary>
    /// Every edge of <paramref name="edges"/> that breaks <paramref name="layers"/>: a use of a namespace in the same or
    /// a higher layer, or of a namespace the layers do not place.
    /// </summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<(string From, string To), string> edges, IReadOnlyList<IReadOnlyList<string>> layers)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var ns in layers[i])
            {
                rank.Add(ns, i);
            }
        }

        var violations = new List<string>();
        foreach (var ((from, to), example) in edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            if (!rank.TryGetValue(from, out var fromRank) || !rank.TryGetValue(to, out var toRank))
            {
                var unplaced = rank.ContainsKey(from) ? to : from;
                violations.Add($"{unplaced} is in no layer: place it in Layers.BottomUp and docs/architecture.md ({example})");
            }
            else if (toRank >= fromRank)
            {
                var how = toRank == fromRank ? "a sibling in the same layer" : "a higher layer";
                violations.Add($"{from} uses {to}, {how}: {example}");
            }
        }

        return violations;
    }
}
