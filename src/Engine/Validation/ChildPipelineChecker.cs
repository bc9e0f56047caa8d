using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Checks the blocks that run another pipeline (<c>uses: pipeline:NAME</c>) against that pipeline's files: it exists
/// in the project, takes the parameters given and gets its required ones, has one output (its <c>output:</c>, or its
/// only final block), and no chain of such blocks leads back to a pipeline it started from.
/// </summary>
internal static class ChildPipelineChecker
{
    // A chain of children deeper than this is refused like a cycle: each level is a run waiting on the next.
    private const int DeepestChain = 20;

    /// <summary>The pipeline with a located error for each child problem; <paramref name="projectRoot"/> null outside a project.</summary>
    public static ValidatedPipeline Check(ValidatedPipeline pipeline, string? projectRoot, Dictionary<string, ValidatedPipeline?> loaded)
    {
        if (pipeline.Definition is not { } definition || definition.Blocks.All(b => b.Uses.Kind != BlockKind.Pipeline))
        {
            return pipeline;
        }

        var diagnostics = new DiagnosticBag();
        foreach (var block in definition.Blocks.Where(b => b.Uses.Kind == BlockKind.Pipeline))
        {
            var what = $"block '{block.Name}'";
            var name = block.Uses.Target;
            if (projectRoot is null)
            {
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation, $"{what} runs pipeline {name}, but this pipeline is in no project (no duraflow.yaml above it) to find it in");
                continue;
            }

            var found = Load(projectRoot, name, loaded);
            if (found is { IsValid: false })
            {
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation, $"{what} runs pipeline {name}, which has errors; fix them first (duraflow validate shows them)");
                continue;
            }

            if (found is not { Definition: { } child } validated)
            {
                var known = Directory.Exists(Path.Combine(projectRoot, "pipelines"))
                    ? Directory.GetDirectories(Path.Combine(projectRoot, "pipelines")).Select(Path.GetFileName).OfType<string>().ToList()
                    : [];
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation, $"{what} runs pipeline {name}, which the project does not have (pipelines/{name}/pipeline.yaml); {EditDistance.DidYouMean(name, known)}its pipelines are {string.Join(", ", known.Order(StringComparer.Ordinal))}");
                continue;
            }

            var given = block.With.TryGetValue("parameters", out var parameters) && parameters is IReadOnlyDictionary<string, object?> map ? map.Keys.ToList() : [];
            var declared = child.Parameters.Select(p => p.Name).ToList();
            foreach (var unknown in given.Where(g => !declared.Contains(g, StringComparer.Ordinal)))
            {
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.WithLocations.GetValueOrDefault("parameters", block.UsesLocation),
                    $"{what} gives pipeline {name} parameter '{unknown}', which it does not declare; {EditDistance.DidYouMean(unknown, declared)}it declares {(declared.Count == 0 ? "none" : string.Join(", ", declared))}");
            }

            // with.parameters that is not a map was reported where it is written; what it lacks would only repeat that.
            var unreadable = block.With.TryGetValue("parameters", out var written) && written is not null and not IReadOnlyDictionary<string, object?>;
            foreach (var missing in child.Parameters.Where(p => !unreadable && p.Required && p.Default is null && !given.Contains(p.Name, StringComparer.Ordinal)))
            {
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation, $"{what} runs pipeline {name} without its required parameter '{missing.Name}'; add it under with.parameters");
            }

            if (child.Output is null && validated.Graph is { Leaves.Count: > 1 } graph)
            {
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation,
                    $"{what} runs pipeline {name}, whose final blocks are {string.Join(", ", graph.Leaves.Select(l => l.Name))}: it has no one output; set output: BLOCK in pipelines/{name}/pipeline.yaml");
            }
            else if (validated.Graph is { } g && (child.Output?.Name ?? (g.Leaves.Count == 1 ? g.Leaves[0].Name : null)) is { } output
                && g.Upstream(output).Any(u => u.FanOut))
            {
                // A block that runs once per item has an output per item, not one; a block after it gathers them.
                diagnostics.Error(DiagnosticCodes.BadChildPipeline, block.UsesLocation,
                    $"{what} runs pipeline {name}, whose output block {output} runs once per fan-out item; add a block after it that reads them all and make that the output");
            }

            if (CycleFrom(definition.Name, name, projectRoot, loaded) is { } cycle)
            {
                diagnostics.Error(DiagnosticCodes.Cycle, block.UsesLocation, $"{what} runs pipeline {name}, and the pipelines run each other in a loop: {string.Join(" → ", cycle)}; a run would wait on itself");
            }
        }

        if (diagnostics.Items.Count == 0)
        {
            return pipeline;
        }

        diagnostics.AddRange(pipeline.Diagnostics);
        return pipeline with { Diagnostics = diagnostics.Sorted() };
    }

    // The chain of child pipelines from 'start' through 'first' that comes back to 'start' (or goes too deep), or null.
    private static List<string>? CycleFrom(string start, string first, string projectRoot, Dictionary<string, ValidatedPipeline?> loaded)
    {
        var path = new List<string> { start };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Walk(first) ? path : null;

        bool Walk(string name)
        {
            path.Add(name);
            if (name == start || path.Count > DeepestChain)
            {
                return true;
            }

            if (seen.Add(name) && Load(projectRoot, name, loaded)?.Definition is { } definition)
            {
                foreach (var child in definition.Blocks.Where(b => b.Uses.Kind == BlockKind.Pipeline).Select(b => b.Uses.Target).Distinct(StringComparer.Ordinal))
                {
                    if (Walk(child))
                    {
                        return true;
                    }
                }
            }

            path.RemoveAt(path.Count - 1);
            return false;
        }
    }

    // Each child read once per validation, however many blocks run it.
    private static ValidatedPipeline? Load(string projectRoot, string name, Dictionary<string, ValidatedPipeline?> loaded)
    {
        if (!loaded.TryGetValue(name, out var pipeline))
        {
            var file = Path.Combine(projectRoot, "pipelines", name, DuraflowProject.PipelineFileName);
            loaded[name] = pipeline = File.Exists(file) ? PipelineValidator.Validate(file) : null;
        }

        return pipeline;
    }
}
