using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Block outputs as blobs in one container, named by their artifact keys (<c>runs/{run}/{block}/attempt-N.json</c>).
/// The container is created on the first write that finds it missing.
/// </summary>
/// <remarks>
/// <para>A blob upload is atomic in Azure Storage: a single-shot upload, and the final commit of a block list for a
/// large file, make the blob appear whole, and a failed upload leaves nothing (or the previous content) under the
/// name. So an output referenced by a committed event is always complete, as with <see cref="LocalArtifactStore"/>'s
/// rename.</para>
/// <para>Engines that read files (DuckDB over Parquet) get a local copy from <see cref="GetLocalPathAsync"/>, kept
/// under <c>{ScratchDirectory}/cache</c> and downloaded once. The cache trusts that an artifact does not change once
/// written, which holds because the engine puts the attempt number in every key; writes made through this instance
/// drop their cached copy all the same.</para>
/// </remarks>
internal sealed partial class BlobArtifactStore : IArtifactStore
{
    /// <summary>A store over <paramref name="container"/>, with block scratch files under <paramref name="scratchDirectory"/>.</summary>
    /// <param name="container">The container holding the artifacts; it need not exist yet.</param>
    /// <param name="scratchDirectory">A local folder for block attempts' files and the download cache.</param>
    public BlobArtifactStore(BlobContainerClient container, string scratchDirectory)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentException.ThrowIfNullOrWhiteSpace(scratchDirectory);
        Container = container;
        ScratchDirectory = Path.GetFullPath(scratchDirectory);
        CacheDirectory = Path.Combine(ScratchDirectory, "cache");
    }

    /// <summary>The container holding the artifacts.</summary>
    public BlobContainerClient Container { get; }

    /// <inheritdoc/>
    public string ScratchDirectory { get; }

    /// <summary>The folder of downloaded copies that <see cref="GetLocalPathAsync"/> hands out.</summary>
    public string CacheDirectory { get; }

    /// <inheritdoc/>
    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        await UploadAsync(() => blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        ForgetCachedCopy(key);
    }

    /// <inheritdoc/>
    public async Task WriteFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var blob = BlobOf(key);
        await UploadAsync(() => blob.UploadAsync(localPath, overwrite: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        ForgetCachedCopy(key);

        // The store took the file over: once the blob is committed, the local copy is the caller's no longer.
        File.Delete(localPath);
    }

    /// <inheritdoc/>
    public async Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw Missing(key, e);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        try
        {
            return (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A missing container answers 404 too; no container means no artifact.
            return false;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="FileNotFoundException">Nothing is stored under <paramref name="key"/>.</exception>
    public async Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        var path = CachePathOf(key);
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Download beside the final name and rename, so a concurrent reader sees the whole file or none.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await blob.DownloadToAsync(temporary, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            File.Delete(temporary);
            throw Missing(key, e);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another reader downloaded the same artifact first; its copy is as good as ours.
            File.Delete(temporary);
        }

        return path;
    }

    /// <summary>The local file <see cref="GetLocalPathAsync"/> uses for <paramref name="key"/>, whether downloaded yet or not.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a relative path of plain segments.</exception>
    public string CachePathOf(string key)
    {
        CheckKey(key);
        var path = Path.GetFullPath(Path.Combine([CacheDirectory, .. key.Split('/')]));
        return path.StartsWith(CacheDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"artifact key '{key}' points outside {CacheDirectory}", nameof(key));
    }

    private BlobClient BlobOf(string key)
    {
        CheckKey(key);
        return Container.GetBlobClient(key);
    }

    /// <summary>
    /// Keys are relative paths made by the engine (<c>runs/r/b/attempt-1.json</c>), never user text; anything else
    /// (<c>..</c>, <c>.</c>, empty segments, backslashes, a leading slash) is refused rather than normalised, as it
    /// would name a different blob than the local cache file, or a file outside the cache.
    /// </summary>
    private static void CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains('\\', StringComparison.Ordinal)
            || key.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"artifact key '{key}' must be a relative path of plain segments separated by '/'", nameof(key));
        }
    }

    /// <summary>Runs <paramref name="upload"/>, creating the container and trying once more when it is missing.</summary>
    private async Task UploadAsync(Func<Task> upload, CancellationToken cancellationToken)
    {
        try
        {
            await upload().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Creating on demand costs nothing on the usual path, unlike a CreateIfNotExists before every write.
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await upload().ConfigureAwait(false);
        }
    }

    private void ForgetCachedCopy(string key)
    {
        var path = CachePathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private FileNotFoundException Missing(string key, Exception inner) =>
        new($"no artifact '{key}' in container {Container.Name}", key, inner);
}
