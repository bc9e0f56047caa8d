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
        var values = await TemplateValues.ForAsync(context, given.SelectMany(p => Texts(p.Value))).ConfigureAwait(false);
        return given.ToDictionary(p => p.Name, p => Render(p.Value, $"with.parameters.{p.Name}", values, context.Block), StringComparer.Ordinal);
    }

    // Templates anywhere in the value, inside maps and lists too (a json parameter's fields).
    private static JsonElement Render(JsonElement value, string where, TemplateValues values, string block) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { } text && text.Contains("{{", StringComparison.Ordinal) =>
            TemplateRenderer.AsSingle(text) is { } whole
                ? whole.Evaluate(values.Resolve) ?? throw new NonRetryableBlockException($"block {block}: {where} {text} has no value")
                : BlockJson.ToElement(TemplateRenderer.RenderText(text, values.Resolve)),
        JsonValueKind.Object => BlockJson.ToElement(value.EnumerateObject().ToDictionary(p => p.Name, p => Render(p.Value, $"{where}.{p.Name}", values, block))),
        JsonValueKind.Array => BlockJson.ToElement(value.EnumerateArray().Select((item, i) => Render(item, $"{where}[{i}]", values, block)).ToList()),
        _ => value.Clone(),
    };

    private static IEnumerable<string> Texts(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Texts(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Texts),
        _ => [],
    };
}
