using System.Text.Json;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>What a commit must do after its transaction: send work and set checkpoints. Kept until done.</summary>
/// <param name="Pipeline">The run's pipeline, which owns the checkpoints.</param>
/// <param name="CommittedAt">When the commit was made; the sweeper re-sends outboxes older than it should be.</param>
/// <param name="Messages">Work to put on the queues.</param>
/// <param name="Checkpoints">Checkpoint values to set.</param>
internal sealed record Outbox(
    string Pipeline, DateTimeOffset CommittedAt, IReadOnlyList<WorkItem> Messages, IReadOnlyDictionary<string, JsonElement> Checkpoints);
