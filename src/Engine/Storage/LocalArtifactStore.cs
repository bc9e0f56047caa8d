namespace Duraflow.Engine.Storage;

/// <summary>
/// Block outputs as files under a folder (the project's <c>.duraflow/artifacts</c> by default). Writes go to a
/// temporary file that is flushed to disk and then renamed, so a crash never leaves a half-written output under the
/// real name, and an output referenced by a committed event is always complete.
/// </summary>
internal sealed class LocalArtifactStore(string root) : IArtifactStore
{
    /// <summary>The folder holding the artifacts.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc/>
    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc/>
    public Task WriteFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = new FileStream(localPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            stream.Flush(flushToDisk: true);
        }

        // The scratch folder is inside the root, so this is a rename on one disk: the output appears whole or not at all.
        File.Move(localPath, path, overwrite: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken) =>
        File.Exists(PathOf(key)) ? Task.FromResult(PathOf(key)) : throw new FileNotFoundException($"no artifact '{key}'", PathOf(key));

    /// <inheritdoc/>
    public string ScratchDirectory => Path.Combine(Root, "scratch");

    /// <inheritdoc/>
    public Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken) => File.ReadAllBytesAsync(PathOf(key), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(key)));

    /// <summary>
    /// Deletes every output of run <paramref name="runId"/> (the folder <c>runs/{run}</c>), at once and before
    /// returning: the SQLite store calls it inside the transaction that removes the run, so a purge that fails keeps
    /// the run listed and the next purge tries again, and no output folder outlives its run.
    /// </summary>
    public void DeleteRunOutputs(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var folder = PathOf($"runs/{runId}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The file for <paramref name="key"/>; keys are relative paths made by the engine, never user text.</summary>
    public string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"artifact key '{key}' points outside {Root}", nameof(key));
    }
}
