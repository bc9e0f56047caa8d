namespace Duraflow.Engine.Dag;

/// <summary>Output formats of <c>duraflow graph</c>.</summary>
internal enum GraphFormat
{
    /// <summary>Levels and blocks as plain text.</summary>
    Text,

    /// <summary>A Mermaid flowchart, for Markdown and docs.</summary>
    Mermaid,

    /// <summary>Graphviz DOT.</summary>
    Dot,
}
