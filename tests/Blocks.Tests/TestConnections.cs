namespace Duraflow.Blocks.Tests;

/// <summary>Connections given by the test, as io_config.yaml would give them after resolving templates.</summary>
internal sealed class TestConnections(params Connection[] connections) : IConnections
{
    public Task<Connection> GetAsync(string name, CancellationToken cancellationToken) =>
        connections.FirstOrDefault(c => c.Name == name) is { } connection
            ? Task.FromResult(connection)
            : throw new NonRetryableBlockException($"connection '{name}' is not in io_config.yaml");

    public static Connection Of(string name, string type, string key, string value) =>
        new(name, type, new Dictionary<string, string> { [key] = value });

    /// <summary>An azure_blob connection named <paramref name="name"/> with a connection string.</summary>
    public static Connection Blob(string name, string connectionString) => Of(name, "azure_blob", "connection_string", connectionString);
}
