using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Reads the .sql and .csx files that blocks use and extracts their references, once per file even when several
/// blocks share one. A missing file is reported at the block's <c>uses:</c>; with a compiler, each script's compile
/// errors are reported where they are in the script.
/// </summary>
internal sealed class BlockFileReader(PipelineDefinition pipeline, string displayDirectory, DiagnosticBag diagnostics, ScriptCompiler? scripts)
{
    private readonly Dictionary<string, IReadOnlyList<DefinitionReference>?> _byPath = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _texts = new(StringComparer.Ordinal);
    private string? _projectRoot;

    /// <summary>The text of each file read, by its path relative to the pipeline folder.</summary>
    public IReadOnlyDictionary<string, string> Texts => _texts;

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

    // The folder a block's file must really be in, symbolic links followed: the project's, found once per pipeline.
    private string ProjectRoot => _projectRoot ??= DuraflowProject.FindRoot(pipeline.Directory) ?? pipeline.Directory;

    private IReadOnlyList<DefinitionReference>? Read(BlockDefinition block)
    {
        var fullPath = Path.GetFullPath(Path.Combine(pipeline.Directory, block.Uses.Target));
        string text;
        try
        {
            // The path is inside the pipeline folder as written; a symbolic link on the way must not leave the project.
            if (File.Exists(fullPath) && LocalPaths.Outside(fullPath, [ProjectRoot]) is { } real)
            {
                diagnostics.Error(DiagnosticCodes.PathOutsideProject, block.UsesLocation,
                    $"block '{block.Name}' uses '{block.Uses.Target}', a symbolic link to {real}, outside the project folder; copy the file into the project instead");
                return [];
            }

            text = DefinitionFile.ReadText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        _texts[block.Uses.Target] = text;

        var display = Path.Combine(displayDirectory, block.Uses.Target);
        if (block.Uses.Kind == BlockKind.Script)
        {
            ReportCompileErrors(block.Uses.Target, text, display);
            return [.. ScriptReferenceScanner.Scan(text).Select(r => Located(r, display))];
        }

        var scan = TemplateScanner.Scan(text);
        foreach (var problem in scan.Problems)
        {
            diagnostics.Error(DiagnosticCodes.BadTemplate, new SourceLocation(display, problem.Position.Line, problem.Position.Column), problem.Message);
        }

        return [.. scan.References.Select(r => Located(r, display))];
    }

    private void ReportCompileErrors(string target, string text, string display)
    {
        if (scripts is null)
        {
            return;
        }

        // Compiled under the path a run gives the script (DefaultBlockExecutor), since a build that lands in the
        // cache folder keeps it for stack traces; the diagnostics name the file as the user sees it.
        var compiledAs = $"pipelines/{pipeline.Name}/{target}";
        foreach (var error in scripts.Check(compiledAs, text, ProjectRoot))
        {
            // An error in a file the script loads is named by that file (relative to the project).
            var file = error.FilePath == compiledAs ? display : error.FilePath;
            var location = error.Position is { } position
                ? new SourceLocation(file, position.Line, position.Column)
                : new SourceLocation(file, 0, 0);
            diagnostics.Error(DiagnosticCodes.ScriptCompileError, location, $"{error.Id}: {error.Message}");
        }
    }

    private static DefinitionReference Located(TemplateReference reference, string file) =>
        new(reference.Root, reference.Name, new SourceLocation(file, reference.Position.Line, reference.Position.Column));
}
