using System.Text.Json;

namespace Duraflow.Engine.Storage;

/// <summary>One checkpoint (watermark) of a pipeline, as stored.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Value">Its JSON value.</param>
/// <param name="UpdatedAt">When it was last set.</param>
internal sealed record CheckpointValue(string Name, JsonElement Value, DateTimeOffset UpdatedAt);

/// <summary>
/// A pipeline's checkpoints, as <c>duraflow checkpoints</c> and the API see and change them. Runs read them through
/// <see cref="IRunStore.GetCheckpointAsync"/> and set them in the commit that ends a successful run.
/// </summary>
internal interface ICheckpoints
{
    /// <summary>The pipeline's checkpoints, by name.</summary>
    Task<IReadOnlyList<CheckpointValue>> ListCheckpointsAsync(string pipeline, CancellationToken cancellationToken);

    /// <summary>Sets one, as a successful run would.</summary>
    Task SetCheckpointAsync(string pipeline, string name, JsonElement value, CancellationToken cancellationToken);

    /// <summary>Deletes one (or all of the pipeline's when <paramref name="name"/> is null); the next run starts from none. Returns how many.</summary>
    Task<int> DeleteCheckpointsAsync(string pipeline, string? name, CancellationToken cancellationToken);
}
