using System.Text.Json;

namespace Duraflow.Blocks.Settings;

/// <summary>Finds every text in a block's <c>with:</c> settings, so the secrets their templates use are read up front.</summary>
internal static class SettingTexts
{
    /// <summary>The strings in <paramref name="value"/>, at any depth of its maps and lists.</summary>
    public static List<string> Of(JsonElement value)
    {
        var texts = new List<string>();
        Collect(value, texts);
        return texts;
    }

    private static void Collect(JsonElement value, List<string> texts)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                texts.Add(value.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Collect(property.Value, texts);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Collect(item, texts);
                }

                break;
        }
    }
}
