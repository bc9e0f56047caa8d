using System.Text.Json;
using Duraflow.Blocks.Templates;

namespace Duraflow.Blocks.Tests;

public class TemplateRendererTests
{
    private static readonly Dictionary<string, JsonElement> Values = new()
    {
        ["run.id"] = JsonSerializer.SerializeToElement("run-7"),
        ["run.scheduled_time"] = JsonSerializer.SerializeToElement(new DateTimeOffset(2026, 3, 4, 6, 30, 0, TimeSpan.Zero)),
        ["params.region"] = JsonSerializer.SerializeToElement("north"),
        ["params.empty"] = JsonSerializer.SerializeToElement(""),
        ["blocks.count"] = JsonSerializer.SerializeToElement(new { changed = 3, names = new[] { "a", "b" } }),
    };

    [Theory]
    [InlineData("landing/orders/{{ run.scheduled_time | date: 'yyyy-MM-dd' }}.csv", "landing/orders/2026-03-04.csv")]
    [InlineData("out/{{ params.region | upper }}_{{ run.id }}.csv", "out/NORTH_run-7.csv")]
    [InlineData("{{ params.missing | default: 'all' }}/{{ params.empty | default: \"none\" }}", "all/none")]
    [InlineData("{{ blocks.count.changed }} of {{ blocks.count.names.1 }}", "3 of b")]
    [InlineData("{{ blocks.count.names | json }}", """["a","b"]""")]
    [InlineData("no templates", "no templates")]
    [InlineData("{{ params.missing }}|", "|")]
    public void Renders_paths_and_filters(string text, string expected) =>
        Assert.Equal(expected, TemplateRenderer.RenderText(text, Resolve));

    [Theory]
    [InlineData("{{ params.region | uper }}", "unknown filter 'uper'", "did you mean 'upper'?")]
    [InlineData("{{ params.region | date }}", "the date filter needs a date or time", "'north'")]
    [InlineData("a {{ run.id", "never closed", "add '}}'")]
    [InlineData("{{ region }}", "'region' is not a path", "params.day")]
    public void Bad_templates_fail_with_what_to_fix(string text, string problem, string hint)
    {
        var error = Assert.Throws<NonRetryableBlockException>(() => TemplateRenderer.RenderText(text, Resolve));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ blocks.daily }}", true)]
    [InlineData("  {{blocks.daily}} ", true)]
    [InlineData("{{ blocks.daily.total }}", false)]
    [InlineData("{{ blocks.daily | json }}", false)]
    [InlineData("x {{ blocks.daily }}", false)]
    [InlineData("{{ params.daily }}", false)]
    public void Recognises_a_whole_block_reference(string text, bool whole) =>
        Assert.Equal(whole, TemplateRenderer.AsSingle(text)?.IsWholeBlock ?? false);

    private static JsonElement? Resolve(string root) => Values.TryGetValue(root, out var value) ? value : null;
}
