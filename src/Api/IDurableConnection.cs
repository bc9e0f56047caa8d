using Duraflow.Durable;
using Duraflow.Engine.Hosting;

namespace Duraflow.Api;

/// <summary>
/// How the host reaches the Durable runtime: <c>duraflow serve</c> starts its own in-process Durable host
/// (<see cref="LocalDurableConnection"/>); the Functions app uses the client its Durable extension hands to its
/// functions. Asked only when a durable run is involved.
/// </summary>
internal interface IDurableConnection
{
    /// <summary>The Durable runtime for <paramref name="engine"/>'s runs; the same one on every call.</summary>
    /// <exception cref="DurableHostException">The task hub cannot be reached.</exception>
    Task<DurableRuntime> OpenAsync(DuraflowEngine engine, CancellationToken cancellationToken);
}
