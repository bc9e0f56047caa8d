namespace Duraflow.Engine.Connections;

/// <summary>One top-level profile of io_config.yaml, as written (without what it inherits from <c>default</c>).</summary>
/// <param name="Connections">The connections without errors, by name.</param>
/// <param name="NamesWritten">Every connection name written, broken connections included.</param>
internal sealed record IoConfigProfile(Dictionary<string, ConnectionDefinition> Connections, HashSet<string> NamesWritten);
