namespace Duraflow.Engine.Connections;

/// <summary>The connection types io_config.yaml knows, and the settings each one takes.</summary>
internal static class ConnectionTypes
{
    public const string ConnectionString = "connection_string";
    public const string Path = "path";
    public const string AccountUrl = "account_url";
    public const string BaseUrl = "base_url";
    public const string Authorization = "authorization";

    // Declared before the properties below, which read it in their initializers.
    private static readonly Spec[] All =
    [
        new("postgres", [ConnectionString], [ConnectionString]),
        new("sqlserver", [ConnectionString], [ConnectionString]),
        new("sqlite", [Path, ConnectionString], [Path, ConnectionString]),
        new("duckdb", [Path, ConnectionString], [Path, ConnectionString]),
        new("azure_blob", [ConnectionString, AccountUrl], [ConnectionString, AccountUrl]),
        new("http", [BaseUrl, Authorization], [BaseUrl]),
    ];

    /// <summary>Every type, in the order messages list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Type)];

    /// <summary>Settings that usually carry credentials: their resolved values are redacted like secrets.</summary>
    public static IReadOnlyList<string> Sensitive { get; } = [ConnectionString, Authorization];

    /// <summary>The spec of <paramref name="type"/>, or null for an unknown type.</summary>
    public static Spec? Find(string type) => Array.Find(All, s => s.Type == type);

    /// <summary>What one type takes.</summary>
    /// <param name="Type">The <c>type:</c> value.</param>
    /// <param name="Settings">Every setting it accepts besides <c>type</c>.</param>
    /// <param name="OneOf">Exactly one of these is required (one name: that setting is required).</param>
    public sealed record Spec(string Type, IReadOnlyList<string> Settings, IReadOnlyList<string> OneOf)
    {
        /// <summary>The keys a connection of this type may have, <c>type</c> first.</summary>
        public IReadOnlyList<string> Keys { get; } = ["type", .. Settings];

        /// <summary>The rule for <see cref="OneOf"/> as a message reads it.</summary>
        public string Requirement => OneOf.Count == 1 ? $"'{OneOf[0]}'" : $"one of {string.Join(" or ", OneOf.Select(k => $"'{k}'"))}";
    }
}
