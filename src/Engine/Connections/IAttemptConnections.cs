using Duraflow.Blocks;

namespace Duraflow.Engine.Connections;

/// <summary>
/// Where one block attempt looks its connections and secrets up: one version of the project's io_config.yaml,
/// secrets.local.yaml and secret settings (<see cref="ReloadingConnections.Current"/>), whole, for the attempt's life.
/// </summary>
internal interface IAttemptConnections : IConnections, ISecrets;
