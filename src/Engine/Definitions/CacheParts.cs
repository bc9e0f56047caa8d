namespace Duraflow.Engine.Definitions;

/// <summary>The parts a block's cache key can be made of, as <c>cache.policy</c> names them.</summary>
internal static class CacheParts
{
    /// <summary>The block's code: the pinned script or SQL text, the compiled block's assembly, the built-in's version.</summary>
    public const string Code = "code";

    /// <summary>The block's <c>with</c> settings, with the values of the templates they read (secrets by name only).</summary>
    public const string Settings = "settings";

    /// <summary>The content of the outputs it reads from upstream blocks (not where they are stored).</summary>
    public const string Inputs = "inputs";

    /// <summary>The run parameters the block reads: those its templates and literal <c>Param("x")</c> calls name, else all.</summary>
    public const string Params = "params";

    /// <summary>Every part, the default.</summary>
    public static IReadOnlyList<string> All { get; } = [Code, Settings, Inputs, Params];
}
