using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>An artifact store that counts writes and reads (each one a billed blob transaction on Azure).</summary>
internal sealed class CountingArtifacts(IArtifactStore inner) : IArtifactStore
{
    private int _writes;
    private int _reads;

    public int Writes => Volatile.Read(ref _writes);

    public int Reads => Volatile.Read(ref _reads);

    public string ScratchDirectory => inner.ScratchDirectory;

    public void Reset()
    {
        Volatile.Write(ref _writes, 0);
        Volatile.Write(ref _reads, 0);
    }

    public Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return inner.WriteAsync(key, content, cancellationToken);
    }

    public Task WriteFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return inner.WriteFileAsync(key, localPath, cancellationToken);
    }

    public Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadAsync(key, cancellationToken);
    }

    public Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetLocalPathAsync(key, cancellationToken);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);
}
