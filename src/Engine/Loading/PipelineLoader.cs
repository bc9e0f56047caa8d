using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Loading;

/// <summary>Reads pipeline.yaml files into <see cref="PipelineDefinition"/>s.</summary>
internal static class PipelineLoader
{
    /// <summary>Reads the pipeline.yaml at <paramref name="path"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayPath">How the file is named in diagnostics; defaults to <paramref name="path"/>.</param>
    public static PipelineLoadResult Load(string path, string? displayPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        displayPath ??= path;
        if (DefinitionFile.TryRead(path, displayPath, out var problem) is not { } text)
        {
            return PipelineLoadResult.Failed(displayPath, [problem!]);
        }

        return Parse(text, Path.GetFullPath(path), displayPath);
    }

    /// <summary>Reads pipeline YAML text that came from <paramref name="sourceFile"/>.</summary>
    public static PipelineLoadResult Parse(string yaml, string sourceFile, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var diagnostics = new DiagnosticBag();
        var context = new LoadContext(displayPath, diagnostics);
        var stream = YamlDocuments.Load(yaml, context);
        if (stream is null)
        {
            return PipelineLoadResult.Failed(displayPath, diagnostics.Items);
        }

        if (stream.Documents.Count == 0)
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, new SourceLocation(displayPath, 1, 1), "the file is empty; a pipeline needs at least 'name' and 'blocks'");
            return PipelineLoadResult.Failed(displayPath, diagnostics.Items);
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, context.At(stream.Documents[1].RootNode), "a pipeline.yaml holds one document; remove the second '---'");
        }

        var (definition, blocks, parameters) = PipelineReader.Read(context, stream.Documents[0].RootNode, sourceFile);
        return new PipelineLoadResult(definition, displayPath, blocks, parameters, diagnostics.Items);
    }
}
