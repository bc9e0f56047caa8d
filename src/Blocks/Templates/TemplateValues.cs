using System.Text.Json;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// The values templates of one block attempt see: <c>blocks.*</c> (inputs), <c>params.*</c>, <c>env.*</c>,
/// <c>secrets.*</c>, <c>run.*</c>, <c>trigger.*</c> and <c>checkpoint.*</c>. Secrets and checkpoints are fetched up
/// front for the texts that use them, because fetching is asynchronous and evaluation is not.
/// </summary>
internal sealed class TemplateValues
{
    private readonly BlockContext _context;
    private readonly Dictionary<string, JsonElement> _secrets;
    private readonly Dictionary<string, JsonElement?> _checkpoints;
    private readonly Dictionary<string, JsonElement> _inputs = new(StringComparer.Ordinal);

    private TemplateValues(BlockContext context, Dictionary<string, JsonElement> secrets, Dictionary<string, JsonElement?> checkpoints)
    {
        _context = context;
        _secrets = secrets;
        _checkpoints = checkpoints;
    }

    /// <summary>Values for templates in <paramref name="texts"/>; every secret and checkpoint they reference is read now.</summary>
    public static async Task<TemplateValues> ForAsync(BlockContext context, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(texts);
        var references = texts.SelectMany(text => TemplateScanner.Scan(text, values: false).References).ToList();
        var secrets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in NamesUnder(references, "secrets"))
        {
            secrets[name] = BlockJson.ToElement(await context.Secrets.GetAsync(name, context.CancellationToken).ConfigureAwait(false));
        }

        // A checkpoint never set reads as null, so "coalesce({{ checkpoint.last_id }}, 0)" starts from the beginning.
        var checkpoints = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        foreach (var name in NamesUnder(references, TemplateRoots.Checkpoint))
        {
            checkpoints[name] = await context.GetCheckpointAsync(name).ConfigureAwait(false);
        }

        return new TemplateValues(context, secrets, checkpoints);
    }

    private static IEnumerable<string> NamesUnder(IEnumerable<TemplateReference> references, string root) =>
        references.Where(reference => reference.Root == root).Select(reference => reference.Name).Distinct(StringComparer.Ordinal);

    /// <summary>Values for texts without secrets, such as a <c>when</c> condition.</summary>
    public static TemplateValues WithoutSecrets(BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TemplateValues(context, new Dictionary<string, JsonElement>(StringComparer.Ordinal), new Dictionary<string, JsonElement?>(StringComparer.Ordinal));
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
            TemplateRoots.Checkpoint => _checkpoints.TryGetValue(name, out var checkpoint) ? checkpoint
                : throw new InvalidOperationException($"checkpoint '{name}' was not read before evaluation"),
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
