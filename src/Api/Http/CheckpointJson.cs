using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>Checkpoints as the API returns them and <c>duraflow checkpoints … --json</c> prints them.</summary>
internal static class CheckpointJson
{
    /// <summary>The largest checkpoint value (JSON text, UTF-8 bytes) the CLI and the API take; a watermark is small.</summary>
    public const int MaxValueBytes = 16 * 1024;

    public static object List(string pipeline, IReadOnlyList<CheckpointValue> checkpoints) => new { Pipeline = pipeline, Items = checkpoints.Select(Of) };

    public static object Of(CheckpointValue checkpoint) => new { checkpoint.Name, checkpoint.Value, checkpoint.UpdatedAt };

    public static object Deleted(string pipeline, string? name, int deleted) => new { Pipeline = pipeline, Name = name, Deleted = deleted };
}
