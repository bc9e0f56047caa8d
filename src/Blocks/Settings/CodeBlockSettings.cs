using System.Buffers;
using System.Text.Json;
using Duraflow.Blocks.Templates;

namespace Duraflow.Blocks.Settings;

/// <summary>
/// The <c>with:</c> settings of a script or class block for one attempt, templates filled in. Unlike a built-in
/// block's settings these have no schema: the block's own code decides what it reads, so each value keeps its JSON
/// shape and type.
/// </summary>
/// <remarks>
/// A string that is exactly one template takes the template's value as it is (<c>"{{ params.limit }}"</c> of an
/// <c>int</c> parameter is the number 100, <c>"{{ blocks.config }}"</c> a JSON output as an object); any other string
/// is text with its templates written in; numbers, booleans and nulls stay as written; maps and lists are filled in
/// item by item. Secrets read here are masked in stored outputs and logs like any other.
/// </remarks>
internal static class CodeBlockSettings
{
    private static readonly IReadOnlyDictionary<string, JsonElement> None = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>Fills in <paramref name="with"/> (a JSON object, or null for none) with the attempt's values.</summary>
    /// <exception cref="NonRetryableBlockException">A template is malformed, or a filter cannot apply to its value.</exception>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> RenderAsync(JsonElement? with, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (with is not { ValueKind: JsonValueKind.Object } map)
        {
            return None;
        }

        var values = await TemplateValues.ForAsync(context, SettingTexts.Of(map)).ConfigureAwait(false);
        var rendered = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var setting in map.EnumerateObject())
        {
            try
            {
                rendered[setting.Name] = Rendered(setting.Value, values);
            }
            catch (NonRetryableBlockException e)
            {
                throw new NonRetryableBlockException($"block {context.Block}: with.{setting.Name}: {e.Message}", e);
            }
        }

        return rendered;
    }

    private static JsonElement Rendered(JsonElement value, TemplateValues values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, value, values);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 1024 });
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, TemplateValues values)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() is { } text && text.Contains("{{", StringComparison.Ordinal):
                if (TemplateRenderer.AsSingle(text) is { } single)
                {
                    if (single.Evaluate(values.Resolve) is { } result)
                    {
                        result.WriteTo(writer);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }
                else
                {
                    writer.WriteStringValue(TemplateRenderer.RenderText(text, values.Resolve));
                }

                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, values);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, values);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
