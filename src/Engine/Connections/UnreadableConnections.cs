using Duraflow.Blocks;

namespace Duraflow.Engine.Connections;

/// <summary>
/// A version of the project's connection files that has errors, edited while the host runs. Block attempts that start
/// while it is current fail when they look a connection or secret up, without retries (waiting does not fix a file),
/// saying what is wrong; attempts that use neither run as usual, so a half-finished edit stops only what it touches.
/// </summary>
/// <param name="problem">What is wrong, with the located errors.</param>
internal sealed class UnreadableConnections(string problem) : IAttemptConnections
{
    /// <summary>What is wrong, with the located errors.</summary>
    public string Problem { get; } = problem;

    Task<Connection> IConnections.GetAsync(string name, CancellationToken cancellationToken) =>
        throw new NonRetryableBlockException(Explain($"connection '{name}'"));

    Task<string> ISecrets.GetAsync(string name, CancellationToken cancellationToken) =>
        throw new NonRetryableBlockException(Explain($"secret '{name}'"));

    private string Explain(string what) =>
        $"{what} cannot be looked up: {Problem}{Environment.NewLine}fix the file ('duraflow validate' lists every problem), then retry the run";
}
