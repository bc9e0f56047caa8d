using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>Checkpoints as the API returns them and <c>duraflow checkpoints … --json</c> prints them.</summary>
internal static class CheckpointJson
{
    public static object List(string pipeline, IReadOnlyList<CheckpointValue> checkpoints) => new { Pipeline = pipeline, Items = checkpoints.Select(Of) };

    public static object Of(CheckpointValue checkpoint) => new { checkpoint.Name, checkpoint.Value, checkpoint.UpdatedAt };

    public static object Deleted(string pipeline, string? name, int deleted) => new { Pipeline = pipeline, Name = name, Deleted = deleted };
}
