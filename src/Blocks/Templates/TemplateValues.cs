using System.Text.Json;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// The values templates of one block attempt see: <c>blocks.*</c> (inputs), <c>params.*</c>, <c>env.*</c>,
/// <c>secrets.*</c>, <c>run.*</c> and <c>trigger.*</c>. Secrets are fetched up front for the texts that use them,
/// because fetching is asynchronous and evaluation is not.
/// </summary>
internal sealed class TemplateValues
{
    private readonly BlockContext _context;
    private readonly Dictionary<string, JsonElement> _secrets;
    private readonly Dictionary<string, JsonElement> _inputs = new(StringComparer.Ordinal);

    private TemplateValues(BlockContext context, Dictionary<string, JsonElement> secrets)
    {
        _context = context;
        _secrets = secrets;
    }

    /// <summary>Values for templates in <paramref name="texts"/>; every secret they reference is read now.</summary>
    public static async Task<TemplateValues> ForAsync(BlockContext context, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(texts);
        var secrets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var names = texts.SelectMany(text => TemplateScanner.Scan(text, values: false).References)
            .Where(reference => reference.Root == "secrets")
            .Select(reference => reference.Name)
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            secrets[name] = BlockJson.ToElement(await context.Secrets.GetAsync(name, context.CancellationToken).ConfigureAwait(false));
        }

        return new TemplateValues(context, secrets);
    }

    /// <summary>Values for texts without secrets, such as a <c>when</c> condition.</summary>
    public static TemplateValues WithoutSecrets(BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TemplateValues(context, new Dictionary<string, JsonElement>(StringComparer.Ordinal));
    }

    /// <summary>The value of <c>root.name</c>, or null when there is none. Table inputs read as JSON arrays.</summary>
    public JsonElement? Resolve(string rootAndName)
    {
        ArgumentNullException.ThrowIfNull(rootAndName);
        var dot = rootAndName.IndexOf('.', StringComparison.Ordinal);
        var (root, name) = dot < 0 ? (rootAndName, "") : (rootAndName[..dot], rootAndName[(dot + 1)..]);
        return root switch
        {
            TemplateRoots.Blocks => Input(name),
            TemplateRoots.Params => Lookup(_context.Parameters, name),
            "env" => Environment.GetEnvironmentVariable(name) is { } value ? BlockJson.ToElement(value) : null,
            "secrets" => _secrets.TryGetValue(name, out var secret) ? secret
                : throw new InvalidOperationException($"secret '{name}' was not read before evaluation"),
            "run" => Lookup(_context.Run, name),
            "trigger" => Lookup(_context.Trigger, name),
            _ => null,
        };
    }

    /// <summary>The input of block <paramref name="name"/> as it is (a table stays a table), or null.</summary>
    public BlockValue? InputValue(string name) => _context.Inputs.TryGetValue(name, out var value) ? value : null;

    private JsonElement? Input(string name)
    {
        if (_inputs.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (InputValue(name) is not { } value)
        {
            return null;
        }

        return _inputs[name] = value.AsJson(_context.CancellationToken);
    }

    private static JsonElement? Lookup(IReadOnlyDictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) ? value : null;
}
