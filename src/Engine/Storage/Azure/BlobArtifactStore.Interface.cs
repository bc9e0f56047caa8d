namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// <see cref="IArtifactStore"/>, implemented explicitly so that what the engine does through it has its Azure failures
/// translated (<see cref="AzureFailures"/>); <see cref="IArtifactStore.ScratchDirectory"/> is local and cannot fail.
/// </summary>
internal sealed partial class BlobArtifactStore
{
    Task IArtifactStore.WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => WriteAsync(key, content, cancellationToken), $"write output {key}");

    Task IArtifactStore.WriteFileAsync(string key, string localPath, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => WriteFileAsync(key, localPath, cancellationToken), $"write output {key}");

    Task<byte[]> IArtifactStore.ReadAsync(string key, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ReadAsync(key, cancellationToken), $"read output {key}");

    Task<bool> IArtifactStore.ExistsAsync(string key, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => ExistsAsync(key, cancellationToken), $"look for output {key}");

    Task<string> IArtifactStore.GetLocalPathAsync(string key, CancellationToken cancellationToken) =>
        AzureFailures.Translate(() => GetLocalPathAsync(key, cancellationToken), $"download output {key}");
}
