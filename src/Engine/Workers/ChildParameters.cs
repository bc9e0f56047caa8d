using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The parameters a block gives the pipeline it runs (<c>with: { parameters: { … } }</c>), templates filled in: a value
/// that is one whole template keeps its type (<c>"{{ blocks.list }}"</c> stays a list, <c>"{{ params.n }}"</c> a
/// number); a string with templates inside becomes text; any other value is passed as written.
/// </summary>
internal static class ChildParameters
{
    /// <summary>The rendered parameters of <paramref name="block"/>, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> RenderAsync(BlockPlan block, BlockContext context)
    {
        var given = block.With is { ValueKind: JsonValueKind.Object } with && with.TryGetProperty("parameters", out var parameters)
            && parameters.ValueKind == JsonValueKind.Object
                ? parameters.EnumerateObject().ToList()
                : [];
        var texts = given.Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!);
        var values = await TemplateValues.ForAsync(context, texts).ConfigureAwait(false);
        var rendered = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var parameter in given)
        {
            rendered[parameter.Name] = parameter.Value.ValueKind == JsonValueKind.String && parameter.Value.GetString() is { } text && text.Contains("{{", StringComparison.Ordinal)
                ? TemplateRenderer.AsSingle(text) is { } whole
                    ? whole.Evaluate(values.Resolve) ?? throw new NonRetryableBlockException($"block {context.Block}: with.parameters.{parameter.Name} {text} has no value")
                    : BlockJson.ToElement(TemplateRenderer.RenderText(text, values.Resolve))
                : parameter.Value.Clone();
        }

        return rendered;
    }
}
