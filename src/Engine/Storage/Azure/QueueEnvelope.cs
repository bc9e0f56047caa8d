using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// What a queue message holds: the work item (run, idempotency key, body), when it is due, how often it was given
/// back without being worked on, and, for bodies too large for a message, the blob that holds the body.
/// </summary>
/// <remarks>
/// Azure counts every receive in <c>DequeueCount</c>, including receives that only find a timer not yet due or a
/// worker that gives the message back; <see cref="Returns"/> counts those so that deliveries are
/// <c>DequeueCount - Returns</c>, as the store contract means them. <see cref="DueAt"/> lets a timer wait longer than
/// the 7 days a message can stay invisible: received early, it is hidden again for the rest.
/// </remarks>
internal sealed record QueueEnvelope
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The run.</summary>
    [JsonPropertyName("r")]
    public required string RunId { get; init; }

    /// <summary>The idempotency key.</summary>
    [JsonPropertyName("k")]
    public required string Key { get; init; }

    /// <summary>The body, or null when it is in <see cref="BodyBlob"/>.</summary>
    [JsonPropertyName("b")]
    public string? Body { get; init; }

    /// <summary>The blob holding the body of a large message.</summary>
    [JsonPropertyName("p")]
    public string? BodyBlob { get; init; }

    /// <summary>When the message is due, in Unix milliseconds; null for now.</summary>
    [JsonPropertyName("d")]
    public long? DueAt { get; init; }

    /// <summary>Receives that did not count as deliveries.</summary>
    [JsonPropertyName("x")]
    public int Returns { get; init; }

    /// <summary>The message text.</summary>
    public string ToText() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a message text; a message that is not an envelope fails with what it is.</summary>
    public static QueueEnvelope Parse(string text, string queue)
    {
        try
        {
            return JsonSerializer.Deserialize<QueueEnvelope>(text, Options) ?? throw new JsonException("the message is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a message in queue {queue} is not a Duraflow work message ({e.Message}); was it put there by something else?", e);
        }
    }
}
