namespace Duraflow.Blocks.Templates;

/// <summary>The names a template path may start with.</summary>
internal static class TemplateRoots
{
    /// <summary>Outputs of other blocks; using one makes that block an upstream dependency.</summary>
    public const string Blocks = "blocks";

    /// <summary>Run parameters declared under <c>parameters:</c>.</summary>
    public const string Params = "params";

    /// <summary>Every root a template path may start with.</summary>
    public static IReadOnlyList<string> All { get; } = [Blocks, Params, "env", "secrets", "run", "trigger"];
}
