using Duraflow.Api;
using Duraflow.Durable;
using Duraflow.Engine.Hosting;

namespace Duraflow.Functions;

/// <summary>
/// The Durable runtime under the Functions host: the host's Durable Task extension runs the orchestrations, and the
/// runtime starts, cancels and retries them through the client the functions offer to <see cref="DurableClientSlot"/>.
/// Nothing is started in this process, unlike <c>duraflow serve</c>'s <see cref="LocalDurableConnection"/>.
/// </summary>
internal sealed class FunctionsDurableConnection(DurableClientSlot slot) : IDurableConnection
{
    private DurableRuntime? _runtime;

    /// <inheritdoc/>
    public async Task<DurableRuntime> OpenAsync(DuraflowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Volatile.Read(ref _runtime) is { } made)
        {
            return made;
        }

        // Every invocation that can start or change a run offers its client before it gets here, so this waits only
        // for the background work that resumes orphaned runs, which may run before any function was invoked.
        var client = await slot.GetAsync(cancellationToken).ConfigureAwait(false);
        var runtime = new DurableRuntime(engine.Committer, client);
        return Interlocked.CompareExchange(ref _runtime, runtime, null) ?? runtime;
    }
}
