namespace Duraflow.Blocks;

/// <summary>Gives blocks the named connections of the project's io_config.yaml, resolved for the run's profile.</summary>
public interface IConnections
{
    /// <summary>The connection named <paramref name="name"/>.</summary>
    /// <exception cref="NonRetryableBlockException">There is no such connection in the selected profile.</exception>
    Task<Connection> GetAsync(string name, CancellationToken cancellationToken);
}
