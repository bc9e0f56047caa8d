using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Runtime;

/// <summary>Turns a validated pipeline into the pinned plan a run executes, and names that plan by a hash.</summary>
internal static class RunPlanner
{
    /// <summary>Builds the plan; <paramref name="pipeline"/> must be valid.</summary>
    public static RunPlan Plan(ValidatedPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (!pipeline.IsValid)
        {
            throw new ArgumentException($"{pipeline.DisplayPath} is not valid; run `duraflow validate` to see why", nameof(pipeline));
        }

        var definition = pipeline.Definition!;
        var graph = pipeline.Graph!;
        var blocks = new List<BlockPlan>();
        foreach (var block in graph.TopologicalOrder)
        {
            var upstream = graph.Upstream(block.Name);

            blocks.Add(new BlockPlan
            {
                Name = block.Name,
                Uses = block.Uses,
                Upstream = [.. upstream.Select(u => u.Name)],
                FanOut = block.FanOut,
                MappedOver = upstream.FirstOrDefault(u => u.FanOut)?.Name,
                When = block.When,
                With = block.With.Count == 0 ? null : JsonSerializer.SerializeToElement(block.With, EngineJson.Options),
                Retry = block.Retry,
                Timeout = block.Timeout,
                Sla = block.Sla,
                Repeat = block.Repeat,
                Cache = block.Cache,
                Limits = LimitsOf(definition, block),
            });
        }

        return new RunPlan
        {
            Pipeline = definition.Name,
            Blocks = blocks,
            Timeout = definition.Timeout,
            Sla = definition.Sla,
            // A pipeline whose blocks read checkpoints runs one run at a time: two would read the same watermark.
            Concurrency = definition.Concurrency ?? (pipeline.CheckpointUser is null ? null : 1),
            Output = definition.Output?.Name ?? (graph.Leaves.Count == 1 ? graph.Leaves[0].Name : null),
            ParameterTypes = definition.Parameters.ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal),
            SecretParameters = definition.Parameters.Any(p => p.Secret) ? [.. definition.Parameters.Where(p => p.Secret).Select(p => p.Name)] : null,
            Files = new SortedDictionary<string, string>(pipeline.Files.ToDictionary(), StringComparer.Ordinal),
            Alerts = definition.Alerts.Count == 0 ? null : [.. definition.Alerts.Select(AlertPlan.Of)],
        };
    }

    // A block takes its own limits and its pipeline's; a wait block runs no code while it waits, so it takes none.
    private static List<string>? LimitsOf(Definitions.PipelineDefinition pipeline, Definitions.BlockDefinition block)
    {
        // A block that runs a pipeline takes none either: its child's blocks take their own, so a child never waits
        // for a share its parent holds.
        if (block.Uses.Kind == Blocks.Catalog.BlockKind.Pipeline || block.Uses.IsWait)
        {
            return null;
        }

        var names = pipeline.Limits.Concat(block.Limits).Select(l => l.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? null : names;
    }

    /// <summary>The hash that pins <paramref name="planJson"/>: SHA-256 of its canonical JSON, hex.</summary>
    public static string Hash(string planJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(planJson)));
}
