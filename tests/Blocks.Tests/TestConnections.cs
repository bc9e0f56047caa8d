using Duraflow.Blocks.Connections;
using Duraflow.Blocks.Execution;

namespace Duraflow.Blocks.Tests;

/// <summary>Connections given by the test instead of io_config.yaml.</summary>
internal sealed class TestConnections(params Connection[] connections) : IConnections
{
    public Task<Connection> GetAsync(string name, CancellationToken cancellationToken) =>
        connections.FirstOrDefault(c => c.Name == name) is { } found
            ? Task.FromResult(found)
            : throw new NonRetryableBlockException($"no connection '{name}'");

    public static Connection Of(string name, string type, string key, string value) =>
        new(name, type, new Dictionary<string, string> { [key] = value });
}
