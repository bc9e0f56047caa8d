using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Definitions;

/// <summary>A use of a block, parameter or connection name somewhere in a definition or in a block's file.</summary>
/// <param name="Root">
/// What is referenced: <c>blocks</c>, <c>params</c>, <c>env</c>, <c>secrets</c>, <c>run</c> or <c>trigger</c> for
/// template paths, <see cref="Connections"/> for an io_config connection.
/// </param>
/// <param name="Name">The referenced name.</param>
/// <param name="Location">Where the reference is written.</param>
internal sealed record DefinitionReference(string Root, string Name, SourceLocation Location)
{
    /// <summary>The root of a reference to an io_config.yaml connection (<c>with.connection</c>, a trigger's <c>connection</c>).</summary>
    public const string Connections = "connections";

    /// <summary>The root of a file block's literal local path (<see cref="BlockDefinition.LocalPath"/>).</summary>
    public const string Files = "files";
}
