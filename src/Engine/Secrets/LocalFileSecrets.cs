using Duraflow.Blocks;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Secrets;

/// <summary>
/// Secrets in <c>secrets.local.yaml</c> in the project folder, a flat <c>name: value</c> map for a developer's
/// machine. It is git-ignored; the file is read once, on first use.
/// </summary>
internal sealed class LocalFileSecrets : ISecretProvider
{
    /// <summary>The file name, in the project folder.</summary>
    public const string FileName = "secrets.local.yaml";

    private readonly Lazy<Content> _content;

    public LocalFileSecrets(string projectRoot) =>
        _content = new Lazy<Content>(() => Load(Path.Combine(projectRoot, FileName)));

    public string Where(string name) => _content.Value.Exists ? $"{FileName} (no key '{name}')" : $"{FileName} (no such file)";

    public Task<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var content = _content.Value;
        if (content.Error is { } error)
        {
            throw new NonRetryableBlockException($"{FileName} cannot be read, so secret '{name}' cannot be looked up: {error}; fix the file ('duraflow validate' lists every problem)");
        }

        return Task.FromResult(content.Values.GetValueOrDefault(name));
    }

    /// <summary>
    /// The values in the file at <paramref name="path"/>, reporting problems to <paramref name="diagnostics"/>. A missing
    /// file has no values. Messages never include a value.
    /// </summary>
    public static Dictionary<string, string> Read(string path, string displayPath, DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        var context = new LoadContext(displayPath, diagnostics);
        if (DefinitionFile.TryRead(path, displayPath, out var problem) is not { } text)
        {
            diagnostics.AddRange([problem!]);
            return values;
        }

        var stream = YamlDocuments.Load(text, context);
        if (stream is null || stream.Documents.Count == 0 || LoadContext.IsNull(stream.Documents[0].RootNode))
        {
            return values;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            context.Error(DiagnosticCodes.WrongType, stream.Documents[0].RootNode, $"{FileName} must be a map of secret names to values (name: value), not {LoadContext.Describe(stream.Documents[0].RootNode)}");
            return values;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                context.Error(DiagnosticCodes.WrongType, keyNode, "each secret name must be a plain name");
            }
            else if (valueNode is YamlScalarNode { Value: { } value } && !LoadContext.IsNull(valueNode))
            {
                values[name] = value;
            }
            else
            {
                // Describe names only the shape of a map or list, never the text of the value.
                context.Error(DiagnosticCodes.WrongType, valueNode, $"secret '{name}' must be a single value (in quotes when it has special characters), not {LoadContext.Describe(valueNode)}");
            }
        }

        return values;
    }

    private static Content Load(string path)
    {
        var diagnostics = new DiagnosticBag();
        var values = Read(path, FileName, diagnostics);
        return new Content(File.Exists(path), values, diagnostics.Items.FirstOrDefault(d => d.IsError)?.ToString());
    }

    private sealed record Content(bool Exists, Dictionary<string, string> Values, string? Error);
}
