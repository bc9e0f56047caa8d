using System.Text.Json;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>How a script or class block's with: is filled in before its code runs.</summary>
public sealed class CodeBlockSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_lone_template_keeps_its_value_type_text_gets_values_written_in_and_the_rest_stays_as_written()
    {
        var context = BlockContexts.Create(
            _folder.Root,
            inputs: new Dictionary<string, BlockValue> { ["config"] = BlockContexts.Json("""{"region":"north","limits":{"rows":7}}""") },
            parameters: """{"limit": 5, "day": "2026-05-01"}""");
        var with = Json("""
            {
              "limit": "{{ params.limit }}",
              "label": "top {{ params.limit }} of {{ blocks.config.region }}",
              "nested": { "days": ["{{ params.day }}", 3], "rows": "{{ blocks.config.limits }}" },
              "flag": true,
              "ratio": 0.5,
              "none": null,
              "unset": "{{ params.nothing }}"
            }
            """);

        var settings = await CodeBlockSettings.RenderAsync(with, context);

        Assert.Equal(JsonValueKind.Number, settings["limit"].ValueKind);
        Assert.Equal(5, settings["limit"].GetInt32());
        Assert.Equal("top 5 of north", settings["label"].GetString());
        Assert.Equal("""{"days":["2026-05-01",3],"rows":{"rows":7}}""", settings["nested"].GetRawText());
        Assert.True(settings["flag"].GetBoolean());
        Assert.Equal(0.5, settings["ratio"].GetDouble());
        Assert.Equal(JsonValueKind.Null, settings["none"].ValueKind);
        Assert.Equal(JsonValueKind.Null, settings["unset"].ValueKind);
    }

    [Fact]
    public async Task No_with_gives_no_settings()
    {
        var context = BlockContexts.Create(_folder.Root);

        Assert.Empty(await CodeBlockSettings.RenderAsync(null, context));
        Assert.Empty(await CodeBlockSettings.RenderAsync(Json("[]"), context));
    }

    [Theory]
    [InlineData("""{"label": "{{ params.limit | shout }}"}""", "block test_block: with.label: ", "shout")]
    [InlineData("""{"deep": {"x": ["{{ params.limit"]}}""", "block test_block: with.deep: ", "never closed")]
    public async Task A_bad_template_fails_without_retry_naming_the_setting(string with, string prefix, string detail)
    {
        var context = BlockContexts.Create(_folder.Root, parameters: """{"limit": 5}""");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => CodeBlockSettings.RenderAsync(Json(with), context));

        Assert.StartsWith(prefix, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
