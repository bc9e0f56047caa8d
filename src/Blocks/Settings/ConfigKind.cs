namespace Duraflow.Blocks.Settings;

/// <summary>What a built-in block's setting holds, which decides how <c>duraflow validate</c> checks it.</summary>
internal enum ConfigKind
{
    /// <summary>A string; may contain templates.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A duration such as <c>30s</c> or <c>5m</c>.</summary>
    Duration,

    /// <summary>One of a fixed list of words.</summary>
    Choice,

    /// <summary>An upstream block's output, written <c>{{ blocks.NAME }}</c>.</summary>
    Input,

    /// <summary>A map of names to strings (HTTP headers, query parameters).</summary>
    Map,

    /// <summary>A list of strings (key columns).</summary>
    List,
}
