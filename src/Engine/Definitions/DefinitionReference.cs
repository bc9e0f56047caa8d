using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Definitions;

/// <summary>A use of a block or parameter name somewhere in a definition or in a block's file.</summary>
/// <param name="Root">What is referenced: <c>blocks</c>, <c>params</c>, <c>env</c>, <c>secrets</c>, <c>run</c> or <c>trigger</c>.</param>
/// <param name="Name">The referenced name.</param>
/// <param name="Location">Where the reference is written.</param>
public sealed record DefinitionReference(string Root, string Name, SourceLocation Location);
