using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>Checks that every limit a pipeline or block lists under <c>limits:</c> is defined in duraflow.yaml's <c>limits:</c>.</summary>
internal static class LimitReferenceChecker
{
    /// <summary>The pipeline with a located error, and a "did you mean", for each limit duraflow.yaml does not define.</summary>
    public static ValidatedPipeline Check(ValidatedPipeline pipeline, IReadOnlyDictionary<string, LimitDefinition> limits)
    {
        if (pipeline.Definition is not { } definition)
        {
            return pipeline;
        }

        var diagnostics = new DiagnosticBag();
        var uses = definition.Limits.Select(l => (l, "the pipeline"))
            .Concat(definition.Blocks.SelectMany(b => b.Limits.Select(l => (l, $"block '{b.Name}'"))));
        foreach (var (reference, user) in uses.Where(u => !limits.ContainsKey(u.l.Name)))
        {
            var defined = limits.Count == 0
                ? "duraflow.yaml defines no limits; add one, such as limits: { " + reference.Name + ": { concurrency: 2 } }"
                : $"{EditDistance.DidYouMean(reference.Name, limits.Keys)}duraflow.yaml's limits are {string.Join(", ", limits.Keys.Order(StringComparer.Ordinal))}";
            diagnostics.Error(DiagnosticCodes.UnknownLimit, reference.Location, $"{user} takes limit '{reference.Name}', which duraflow.yaml's 'limits' does not define; {defined}");
        }

        if (diagnostics.Items.Count == 0)
        {
            return pipeline;
        }

        diagnostics.AddRange(pipeline.Diagnostics);
        return pipeline with { Diagnostics = diagnostics.Sorted() };
    }
}
