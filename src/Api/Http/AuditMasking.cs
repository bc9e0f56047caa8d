using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duraflow.Api.Http;

/// <summary>
/// What of a request the audit log keeps: its JSON body and query, with secrets masked: fields that name a credential
/// anywhere in the body (<c>api_key</c>, <c>access_token</c>, <c>password</c>, <c>secret</c>, <c>token</c>), and the
/// values of parameters the pipeline declares <c>secret: true</c>. A body too large or not JSON is described, not kept.
/// </summary>
internal static class AuditMasking
{
    /// <summary>The largest body kept.</summary>
    public const int LargestBody = 16 * 1024;

    private const string Mask = "***";

    private static readonly HashSet<string> CredentialFields = new(["api_key", "access_token", "password", "secret", "token", "key"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The parameters to record: the body (masked; <paramref name="body"/> is null when it was too large to keep) and the query, or null when there are neither.</summary>
    public static JsonElement? Parameters(string? body, long size, IQueryCollection query, IReadOnlySet<string> secretParameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        var recorded = new JsonObject();
        if (body is null && size > LargestBody)
        {
            recorded["body"] = new JsonObject { ["not_kept"] = $"a body of {size} characters or more, over the {LargestBody} the audit log keeps" };
        }
        else if (body is { Length: > 0 })
        {
            recorded["body"] = Body(body, secretParameters);
        }

        if (query.Count > 0)
        {
            recorded["query"] = new JsonObject(query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(Masked(q.Key, q.Value.ToString())))));
        }

        return recorded.Count == 0 ? null : JsonSerializer.SerializeToElement(recorded);
    }

    private static JsonNode Body(string body, IReadOnlySet<string> secretParameters)
    {
        try
        {
            var parsed = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            if (parsed is JsonObject root && root["parameters"] is JsonObject parameters)
            {
                foreach (var name in parameters.Select(p => p.Key).Where(secretParameters.Contains).ToList())
                {
                    parameters[name] = Mask;
                }
            }

            MaskCredentials(parsed);
            return parsed ?? JsonValue.Create((string?)null)!;
        }
        catch (JsonException)
        {
            return new JsonObject { ["not_kept"] = $"a body of {body.Length} characters that is not JSON" };
        }
        catch (ArgumentException)
        {
            // JsonObject refuses a name twice when it is first read; the endpoint refused such a body too.
            return new JsonObject { ["not_kept"] = $"a body of {body.Length} characters with a field named twice" };
        }
    }

    private static void MaskCredentials(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var name in map.Select(p => p.Key).ToList())
                {
                    if (CredentialFields.Contains(name))
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

    private static string Masked(string name, string value) => CredentialFields.Contains(name) ? Mask : value;
}
