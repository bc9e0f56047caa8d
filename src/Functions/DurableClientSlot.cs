using Microsoft.DurableTask.Client;

namespace Duraflow.Functions;

/// <summary>
/// The app's one <see cref="DurableTaskClient"/>, for the code that starts, cancels and retries runs on the Durable
/// runtime. Under the Functions host a client exists only as a <c>[DurableClient]</c> input of an invocation: the
/// <c>api</c>, <c>schedule</c> and <c>blobevents</c> functions each offer theirs here before they hand the invocation
/// on, and whoever needs a client waits for the first one.
/// </summary>
/// <remarks>
/// One client is enough, and keeping the first is safe: the extension caches the binding's client per endpoint, task
/// hub and connection, so every invocation of this app gets the same client (or one equal to it), and it stays usable
/// after the invocation that brought it has ended. Thread-safe.
/// </remarks>
internal sealed class DurableClientSlot
{
    private readonly TaskCompletionSource<DurableTaskClient> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a client has been offered yet.</summary>
    public bool HasClient => _client.Task.IsCompletedSuccessfully;

    /// <summary>Keeps <paramref name="client"/> if it is the first one offered; later offers are ignored.</summary>
    /// <param name="client">The invocation's durable client binding.</param>
    public void Offer(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client.TrySetResult(client);
    }

    /// <summary>The client, once one has been offered; waits until then.</summary>
    /// <param name="cancellationToken">Stops the wait, not the client.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before a client was offered.</exception>
    public Task<DurableTaskClient> GetAsync(CancellationToken cancellationToken) => _client.Task.WaitAsync(cancellationToken);
}
