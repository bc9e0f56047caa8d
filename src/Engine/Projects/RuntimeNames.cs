namespace Duraflow.Engine.Projects;

/// <summary>
/// How people spell a <see cref="RuntimeKind"/>: in duraflow.yaml's <c>runtime:</c>, the <c>--runtime</c> option and
/// the <c>Duraflow__Runtime</c> app setting. One list, so that every place accepts the same words.
/// </summary>
internal static class RuntimeNames
{
    /// <summary>The names, in the order of <see cref="RuntimeKind"/>.</summary>
    public static readonly string[] All = ["duraflow", "durable"];

    /// <summary>The runtime <paramref name="name"/> spells, or null when it spells none.</summary>
    public static RuntimeKind? Parse(string name)
    {
        var index = Array.IndexOf(All, name);
        return index < 0 ? null : (RuntimeKind)index;
    }

    /// <summary>The name of <paramref name="kind"/>.</summary>
    public static string Of(RuntimeKind kind) => All[(int)kind];
}
