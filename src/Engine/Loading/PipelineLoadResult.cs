using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Loading;

/// <summary>The outcome of reading one pipeline.yaml: a best-effort definition and every problem found.</summary>
/// <param name="Definition">
/// The definition, holding every block that could be read; null only when the file is not a YAML map at all.
/// A definition with errors must not be run.
/// </param>
/// <param name="DisplayPath">How the file is named in diagnostics.</param>
/// <param name="DeclaredBlockNames">Every block name written, including blocks too broken to keep.</param>
/// <param name="DeclaredParameterNames">Every parameter name written, including parameters too broken to keep.</param>
/// <param name="Diagnostics">Problems found while reading.</param>
internal sealed record PipelineLoadResult(
    PipelineDefinition? Definition,
    string DisplayPath,
    IReadOnlySet<string> DeclaredBlockNames,
    IReadOnlySet<string> DeclaredParameterNames,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    internal static PipelineLoadResult Failed(string displayPath, IReadOnlyList<Diagnostic> diagnostics) =>
        new(null, displayPath, new HashSet<string>(), new HashSet<string>(), diagnostics);
}
