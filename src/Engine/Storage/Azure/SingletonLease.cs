using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// A duty that one process at a time may do (sweeping, later schedule ticking), held as a lease on a blob. Blob leases
/// last 15 to 60 seconds unless renewed, so a holder that dies gives the duty up on its own; holders renew on every
/// <see cref="TryHoldAsync"/>.
/// </summary>
internal sealed class SingletonLease
{
    private readonly BlobClient _blob;
    private readonly TimeSpan _duration;
    private readonly string _leaseId = Guid.NewGuid().ToString();
    private bool _held;

    /// <summary>A lease named <paramref name="name"/> in <paramref name="container"/>.</summary>
    /// <param name="container">The container holding lease blobs; it must exist.</param>
    /// <param name="name">The duty's name.</param>
    /// <param name="duration">How long the lease lasts unless renewed: 15 to 60 seconds, as Blob Storage allows.</param>
    public SingletonLease(BlobContainerClient container, string name, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (duration < TimeSpan.FromSeconds(15) || duration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "a blob lease lasts 15 to 60 seconds");
        }

        _blob = container.GetBlobClient($"leases/{name}");
        _duration = duration;
    }

    /// <summary>True when this instance holds the lease now, taking or renewing it.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        var lease = _blob.GetBlobLeaseClient(_leaseId);
        if (_held)
        {
            try
            {
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // It expired and someone else took it.
                _held = false;
            }
        }

        _held = await TryAcquireAsync(lease, createMissing: true, cancellationToken).ConfigureAwait(false);
        return _held;
    }

    private async Task<bool> TryAcquireAsync(BlobLeaseClient lease, bool createMissing, CancellationToken cancellationToken)
    {
        try
        {
            await lease.AcquireAsync(_duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404 && createMissing)
        {
            await CreateBlobAsync(cancellationToken).ConfigureAwait(false);
            return await TryAcquireAsync(lease, createMissing: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Gives the lease up, so that another process can take the duty at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!_held)
        {
            return;
        }

        _held = false;
        try
        {
            await _blob.GetBlobLeaseClient(_leaseId).ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already lost; nothing to give up.
        }
    }

    private async Task CreateBlobAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another process created it first.
        }
    }
}
