namespace Duraflow.Api;

/// <summary>
/// The documentation pages built into this assembly (docs/*.md): served to assistants as MCP resources, and the block
/// API that block generation gives the model, so both say what the running version does.
/// </summary>
internal static class EmbeddedDocs
{
    private const string Prefix = "Duraflow.Api.Docs.";

    /// <summary>Each page's file name, such as <c>blocks.md</c>, in order.</summary>
    public static IEnumerable<string> Files() =>
        typeof(EmbeddedDocs).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal);

    /// <summary>The text of page <paramref name="file"/>.</summary>
    public static string Read(string file)
    {
        using var stream = typeof(EmbeddedDocs).Assembly.GetManifestResourceStream(Prefix + file)
            ?? throw new FileNotFoundException($"docs/{file} is not built into this version");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The part of page <paramref name="file"/> from the heading <paramref name="from"/> up to the heading
    /// <paramref name="to"/> (exclusive; null for the end of the page).
    /// </summary>
    public static string Section(string file, string from, string? to)
    {
        var text = Read(file);
        var start = text.IndexOf(from, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/{file} has no heading '{from}'");
        }

        var end = to is null ? -1 : text.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }
}
