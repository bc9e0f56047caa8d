using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Blocks.Tests;

/// <summary>Builds block contexts for tests that run blocks directly, without an engine.</summary>
internal static class BlockContexts
{
    public static BlockContext Create(
        string root,
        IReadOnlyDictionary<string, BlockValue>? inputs = null,
        string parameters = "{}",
        IReadOnlyDictionary<string, string>? parameterTypes = null,
        string block = "test_block",
        ILogger? logger = null,
        IConnections? connections = null,
        IReadOnlyList<string>? fileRoots = null,
        IReadOnlyDictionary<string, JsonElement>? checkpoints = null,
        CancellationToken cancellationToken = default) => new()
        {
            RunId = "run-1",
            Pipeline = "orders",
            Block = block,
            Attempt = 1,
            IdempotencyKey = $"run-1/{block}/1",
            Parameters = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters)!,
            ParameterTypes = parameterTypes ?? new Dictionary<string, string>(),
            Run = new Dictionary<string, JsonElement>
            {
                ["id"] = JsonSerializer.SerializeToElement("run-1"),
                ["scheduled_time"] = JsonSerializer.SerializeToElement(new DateTimeOffset(2026, 3, 4, 6, 0, 0, TimeSpan.Zero)),
            },
            Inputs = inputs ?? new Dictionary<string, BlockValue>(),
            Logger = logger ?? NullLogger.Instance,
            Connections = connections ?? NoConnections.Instance,
            ProjectRoot = root,
            FileRoots = fileRoots ?? [],
            WorkDirectory = Path.Combine(root, "work", Guid.NewGuid().ToString("N")),
            CancellationToken = cancellationToken,
            ReadCheckpoint = (name, _) => Task.FromResult(checkpoints is not null && checkpoints.TryGetValue(name, out var value) ? value : (JsonElement?)null),
        };

    public static BlockValue Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return BlockValue.Of(document.RootElement.Clone());
    }
}
