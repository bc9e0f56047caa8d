namespace Duraflow.Api.Generation;

/// <summary>What kind of block is generated: <c>--kind script|sql</c>.</summary>
internal enum GeneratedKind
{
    /// <summary>A C# script, <c>blocks/NAME.csx</c>, used as <c>script:blocks/NAME.csx</c>.</summary>
    Script,

    /// <summary>A SQL query on the embedded engine over upstream outputs, <c>sql/NAME.sql</c>, used as <c>sql:sql/NAME.sql</c>.</summary>
    Sql,
}

/// <summary>The words and paths of each <see cref="GeneratedKind"/>.</summary>
internal static class GeneratedKinds
{
    /// <summary>The kinds as <c>--kind</c> and the API take them.</summary>
    public const string Choices = "script or sql";

    /// <summary>The kind named <paramref name="text"/>, or null.</summary>
    public static GeneratedKind? Parse(string? text) => text switch
    {
        "script" => GeneratedKind.Script,
        "sql" => GeneratedKind.Sql,
        _ => null,
    };

    /// <summary>The new block's file, relative to the pipeline folder.</summary>
    public static string FileOf(GeneratedKind kind, string name) => kind == GeneratedKind.Script ? $"blocks/{name}.csx" : $"sql/{name}.sql";

    /// <summary>The new block's <c>uses:</c>.</summary>
    public static string UsesOf(GeneratedKind kind, string name) => (kind == GeneratedKind.Script ? "script:" : "sql:") + FileOf(kind, name);

    /// <summary>The language tag of a fenced code block of this kind.</summary>
    public static string Fence(GeneratedKind kind) => kind == GeneratedKind.Script ? "csharp" : "sql";
}
