using System.Globalization;
using System.Text.Json;
using Duraflow.Blocks.Templates;

namespace Duraflow.Blocks.Settings;

/// <summary>
/// A built-in block's <c>with:</c> settings for one attempt, with templates filled in and defaults from the block's
/// schema. The definition was validated before the run, so errors here come from values only known at run time.
/// </summary>
internal sealed class BlockSettings
{
    private readonly JsonElement _with;
    private readonly string _owner;
    private readonly IReadOnlyList<ConfigField> _fields;
    private readonly TemplateValues _values;
    private readonly BlockContext _context;

    private BlockSettings(JsonElement with, string owner, IReadOnlyList<ConfigField> fields, TemplateValues values, BlockContext context)
    {
        _with = with;
        _owner = owner;
        _fields = fields;
        _values = values;
        _context = context;
    }

    /// <summary>Settings of a built-in block from <paramref name="with"/> (a JSON object, or null for none).</summary>
    public static Task<BlockSettings> CreateAsync(JsonElement? with, BuiltInBlock block, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(block);
        return CreateAsync(with, block.Id, block.Fields, context);
    }

    /// <summary>
    /// Settings from <paramref name="with"/> described by <paramref name="fields"/>, for <paramref name="owner"/>
    /// (a built-in id, or <c>sql</c>); reads the secrets they use.
    /// </summary>
    public static async Task<BlockSettings> CreateAsync(JsonElement? with, string owner, IReadOnlyList<ConfigField> fields, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(context);
        var settings = with is { ValueKind: JsonValueKind.Object } map ? map : BlockJson.ToElement(new Dictionary<string, object>());
        return new BlockSettings(settings, owner, fields, await TemplateValues.ForAsync(context, SettingTexts.Of(settings)).ConfigureAwait(false), context);
    }

    /// <summary>Whose settings these are: a built-in block's id, or <c>sql</c>.</summary>
    public string Owner => _owner;

    /// <summary>The template values, for blocks that render more text (SQL files, request bodies).</summary>
    public TemplateValues Values => _values;

    /// <summary>A text setting with its templates filled in; the schema's default, or null, when absent.</summary>
    public string? Text(string name) => Raw(name) is { } raw ? Render(raw) : Field(name).Default;

    /// <summary>A text setting as written, templates not filled in (SQL binds them as parameters instead).</summary>
    public string? Template(string name) => Raw(name) is { ValueKind: JsonValueKind.String } raw ? raw.GetString() : Text(name);

    /// <summary>A text setting that must have a value.</summary>
    public string RequiredText(string name) =>
        Text(name) is { Length: > 0 } text ? text : throw Problem(name, "needs a value");

    /// <summary>A true/false setting.</summary>
    public bool Boolean(string name) => Text(name) switch
    {
        null => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw Problem(name, $"must be true or false, not '{text}'"),
    };

    /// <summary>A whole-number setting, or null when absent without a default.</summary>
    public long? Integer(string name) => Text(name) switch
    {
        null => null,
        var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw Problem(name, $"must be a whole number, not '{text}'"),
    };

    /// <summary>A duration setting such as <c>30s</c> or <c>1h30m</c>, above zero; null when absent without a default.</summary>
    public TimeSpan? Duration(string name) => Text(name) switch
    {
        null => null,
        var text when Blocks.Text.Duration.TryParse(text, out var value) && value > TimeSpan.Zero => value,
        var text => throw Problem(name, $"must be a duration above zero, such as {Blocks.Text.Duration.Examples}, not '{text}'"),
    };

    /// <summary>A choice setting: one of the schema's words.</summary>
    public string Choice(string name)
    {
        var text = RequiredText(name);
        var choices = Field(name).Choices ?? [];
        return choices.Contains(text, StringComparer.Ordinal) ? text : throw Problem(name, $"must be one of {string.Join(", ", choices)}, not '{text}'");
    }

    /// <summary>A map setting (header name → value), each value with its templates filled in.</summary>
    public IReadOnlyDictionary<string, string> Map(string name) =>
        Raw(name) is { ValueKind: JsonValueKind.Object } map
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => Render(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A list setting (key columns), each item with its templates filled in.</summary>
    public IReadOnlyList<string> List(string name) => Raw(name) switch
    {
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select(Render).ToList(),
        { } single => [Render(single)],
        null => [],
    };

    /// <summary>
    /// The upstream output a setting names, written <c>{{ blocks.NAME }}</c>; when the setting is absent, the
    /// block's only input.
    /// </summary>
    public BlockValue Input(string name = "input")
    {
        if (Raw(name) is { ValueKind: JsonValueKind.String } raw
            && TemplateRenderer.AsSingle(raw.GetString()!) is { IsWholeBlock: true } reference)
        {
            return _values.InputValue(reference.Name) ?? throw Problem(name, $"names block '{reference.Name}', which is not an input of this block");
        }

        if (Raw(name) is not null)
        {
            throw Problem(name, "must name an upstream block, as in {{ blocks.NAME }}");
        }

        return _context.Inputs.Count == 1
            ? _context.Inputs.Values.Single()
            : throw Problem(name, _context.Inputs.Count == 0
                ? "is not set and the block has no upstream block; set it to {{ blocks.NAME }}"
                : $"is not set and the block has {_context.Inputs.Count} inputs ({string.Join(", ", _context.Inputs.Keys.Order(StringComparer.Ordinal))}); say which, as in {{{{ blocks.NAME }}}}");
    }

    private JsonElement? Raw(string name) =>
        _with.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private string Render(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? TemplateRenderer.RenderText(value.GetString()!, _values.Resolve)
        : TemplateExpression.AsText(value);

    private ConfigField Field(string name) =>
        _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{_owner} has no setting '{name}' in its schema");

    /// <summary>The error for setting <paramref name="name"/>, naming the block and the setting.</summary>
    public NonRetryableBlockException Problem(string name, string problem) =>
        new($"block {_context.Block} ({_owner}): with.{name} {problem}");
}
