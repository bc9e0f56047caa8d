namespace Duraflow.Blocks;

/// <summary>
/// A named connection from io_config.yaml for the selected profile, with every <c>{{ env.X }}</c> and
/// <c>{{ secrets.X }}</c> already resolved. Built-in and SQL blocks receive it through <see cref="IConnections"/>.
/// </summary>
/// <param name="Name">The connection's name in io_config.yaml.</param>
/// <param name="Type">Its type: <c>postgres</c>, <c>sqlserver</c>, <c>sqlite</c>, <c>duckdb</c>, <c>azure_blob</c>, ...</param>
/// <param name="Settings">The resolved settings, such as <c>connection_string</c>.</param>
public sealed record Connection(string Name, string Type, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>A setting's value, or null when the connection has no such setting.</summary>
    public string? Setting(string key) => Settings.TryGetValue(key, out var value) ? value : null;
}
