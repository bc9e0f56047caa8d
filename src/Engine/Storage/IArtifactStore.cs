namespace Duraflow.Engine.Storage;

/// <summary>Block outputs, stored as named blobs.</summary>
internal interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/> durably before returning.</summary>
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads the content under <paramref name="key"/>; throws <see cref="FileNotFoundException"/> when missing.</summary>
    Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>True when something is stored under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the finished local file <paramref name="localPath"/> under <paramref name="key"/> durably, taking it over.</summary>
    Task WriteFileAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>A local file holding the content under <paramref name="key"/>, for engines that read files (DuckDB).</summary>
    Task<string> GetLocalPathAsync(string key, CancellationToken cancellationToken);

    /// <summary>Where block attempts write files before they are stored; each attempt gets its own folder inside.</summary>
    string ScratchDirectory { get; }
}
