using Duraflow.Blocks;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Reads the .sql and .csx files that blocks use and extracts their references, once per file even when several
/// blocks share one. A missing file is reported at the block's <c>uses:</c>.
/// </summary>
internal sealed class BlockFileReader(string pipelineDirectory, string displayDirectory, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, IReadOnlyList<DefinitionReference>?> _byPath = new(StringComparer.Ordinal);

    public IReadOnlyList<DefinitionReference> ReferencesOf(BlockDefinition block)
    {
        if (!block.Uses.IsFile)
        {
            return [];
        }

        if (!_byPath.TryGetValue(block.Uses.Target, out var references))
        {
            references = Read(block);
            _byPath[block.Uses.Target] = references;
        }

        if (references is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingFile, block.UsesLocation, $"block '{block.Name}' uses '{block.Uses.Target}', which does not exist in {displayDirectory}; create the file or fix the path");
            return [];
        }

        return references;
    }

    private IReadOnlyList<DefinitionReference>? Read(BlockDefinition block)
    {
        var fullPath = Path.Combine(pipelineDirectory, block.Uses.Target);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var display = Path.Combine(displayDirectory, block.Uses.Target);
        if (block.Uses.Kind == BlockKind.Script)
        {
            return [.. ScriptInputScanner.Scan(text).Select(r => Located(r, display))];
        }

        var scan = TemplateScanner.Scan(text);
        foreach (var problem in scan.Problems)
        {
            diagnostics.Error(DiagnosticCodes.BadTemplate, new SourceLocation(display, problem.Position.Line, problem.Position.Column), problem.Message);
        }

        return [.. scan.References.Select(r => Located(r, display))];
    }

    private static DefinitionReference Located(TemplateReference reference, string file) =>
        new(reference.Root, reference.Name, new SourceLocation(file, reference.Position.Line, reference.Position.Column));
}
