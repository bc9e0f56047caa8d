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
                Repeat = block.Repeat,
            });
        }

        return new RunPlan
        {
            Pipeline = definition.Name,
            Blocks = blocks,
            Timeout = definition.Timeout,
            Concurrency = definition.Concurrency,
            ParameterTypes = definition.Parameters.ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal),
            SecretParameters = definition.Parameters.Any(p => p.Secret) ? [.. definition.Parameters.Where(p => p.Secret).Select(p => p.Name)] : null,
            Files = new SortedDictionary<string, string>(pipeline.Files.ToDictionary(), StringComparer.Ordinal),
        };
    }

    /// <summary>The hash that pins <paramref name="planJson"/>: SHA-256 of its canonical JSON, hex.</summary>
    public static string Hash(string planJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(planJson)));
}
