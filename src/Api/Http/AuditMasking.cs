using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duraflow.Api.Http;

/// <summary>
/// What of a request the audit log keeps: its JSON body and query, with secrets masked. A run's <c>parameters</c> keep
/// only the values of parameters the pipeline declares and does not mark <c>secret: true</c> (every value is masked
/// when the pipeline cannot be read); any field whose name speaks of a credential (<c>password</c>, <c>secret</c>,
/// <c>token</c>, <c>api_key</c>, <c>credential</c>…) is masked anywhere. A body too large, too deep or not JSON is
/// described, not kept; nothing here throws, so a request's entry is never lost for its parameters.
/// </summary>
internal static class AuditMasking
{
    /// <summary>The largest body kept, in characters as received.</summary>
    public const int LargestBody = 16 * 1024;

    /// <summary>The largest parameters kept, in characters as stored (Azure Table properties hold 32K).</summary>
    public const int LargestStored = 24 * 1024;

    /// <summary>The deepest body kept: reading the log adds a few levels, and must stay within JSON's default 64.</summary>
    public const int DeepestBody = 32;

    private const string Mask = "***";

    private static readonly string[] CredentialWords = ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "private_key", "credential", "auth"];

    private static readonly JsonSerializerOptions Stored = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The parameters to record: the body (null when it was not read, with <paramref name="notRead"/> saying why) and
    /// the query, or null when there are neither. <paramref name="plainParameters"/> are the parameters whose values
    /// may be kept.
    /// </summary>
    public static JsonElement? Parameters(string? body, string? notRead, IQueryCollection query, IReadOnlySet<string> plainParameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            var recorded = new JsonObject();
            if (notRead is not null)
            {
                recorded["body"] = NotKept(notRead);
            }
            else if (body is { Length: > 0 })
            {
                recorded["body"] = Body(body, plainParameters);
            }

            if (query.Count > 0)
            {
                recorded["query"] = new JsonObject(query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(IsCredential(q.Key) ? Mask : q.Value.ToString()))));
            }

            if (recorded.Count == 0)
            {
                return null;
            }

            var text = recorded.ToJsonString(Stored);
            return text.Length <= LargestStored
                ? JsonDocument.Parse(text).RootElement.Clone()
                : JsonSerializer.SerializeToElement(new JsonObject { ["body"] = NotKept($"{text.Length} characters once masked, over the {LargestStored} kept") });
        }
#pragma warning disable CA1031 // Whatever a body holds, the entry is written; its parameters then say they were not kept.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return JsonSerializer.SerializeToElement(new JsonObject { ["body"] = NotKept($"could not be read ({e.GetType().Name})") });
        }
    }

    /// <summary>True when a field of this name may hold a credential.</summary>
    public static bool IsCredential(string name) =>
        name.Equals("key", StringComparison.OrdinalIgnoreCase) || CredentialWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static JsonObject NotKept(string why) => new() { ["not_kept"] = why };

    private static JsonNode Body(string body, IReadOnlySet<string> plainParameters)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = DeepestBody });
            if (parsed is JsonObject root && root["parameters"] is JsonObject parameters)
            {
                foreach (var name in parameters.Select(p => p.Key).Where(n => !plainParameters.Contains(n)).ToList())
                {
                    parameters[name] = Mask;
                }
            }

            MaskCredentials(parsed);
        }
        catch (JsonException)
        {
            return NotKept($"a body of {body.Length} characters that is not JSON, or nested deeper than {DeepestBody}");
        }
        catch (ArgumentException)
        {
            // JsonObject refuses a name twice when it is first read; the endpoint refused such a body too.
            return NotKept($"a body of {body.Length} characters with a field named twice");
        }

        return parsed ?? JsonValue.Create((string?)null)!;
    }

    private static void MaskCredentials(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var name in map.Select(p => p.Key).ToList())
                {
                    if (IsCredential(name))
                    {
                        map[name] = Mask;
                    }
                    else
                    {
                        MaskCredentials(map[name]);
                    }
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    MaskCredentials(item);
                }

                break;
        }
    }
}
