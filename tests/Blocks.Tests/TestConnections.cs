using Duraflow.Blocks.Connections;
using Duraflow.Blocks.Execution;

namespace Duraflow.Blocks.Tests;

/// <summary>Connections given by the test, as io_config.yaml would give them after resolving templates.</summary>
internal sealed class TestConnections(params Connection[] connections) : IConnections
{
    public Task<Connection> GetAsync(string name, CancellationToken cancellationToken) =>
        connections.FirstOrDefault(c => c.Name == name) is { } connection
            ? Task.FromResult(connection)
            : throw new NonRetryableBlockException($"connection '{name}' is not in io_config.yaml");

    /// <summary>An azure_blob connection named <paramref name="name"/> with a connection string.</summary>
    public static Connection Blob(string name, string connectionString) =>
        new(name, "azure_blob", new Dictionary<string, string> { ["connection_string"] = connectionString });
}
