namespace Duraflow.Blocks.Templates;

/// <summary>The names a template path may start with.</summary>
internal static class TemplateRoots
{
    /// <summary>Outputs of other blocks; using one makes that block an upstream dependency.</summary>
    public const string Blocks = "blocks";

    /// <summary>Run parameters declared under <c>parameters:</c>.</summary>
    public const string Params = "params";

    /// <summary>The pipeline's checkpoints as the run found them; read by a block's settings and SQL, not by conditions.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>The roots a condition (<c>when</c>, <c>repeat.until</c>) may start with: values known to the run itself.</summary>
    public static IReadOnlyList<string> Conditions { get; } = [Blocks, Params, "env", "secrets", "run", "trigger"];

    /// <summary>Every root a template path may start with.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Conditions, Checkpoint];
}
