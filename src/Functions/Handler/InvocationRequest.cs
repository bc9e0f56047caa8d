using System.Text.Json;

namespace Duraflow.Functions.Handler;

/// <summary>
/// A non-HTTP invocation as the Functions host POSTs it: <c>{ "Data": { binding: value }, "Metadata": { ... } }</c>.
/// Keys are looked up case-insensitively, since the host's casing is not a documented contract.
/// </summary>
internal sealed class InvocationRequest
{
    private InvocationRequest(JsonElement data, JsonElement metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    /// <summary>The trigger and input binding values, by binding name.</summary>
    public JsonElement Data { get; }

    /// <summary>The trigger metadata (an empty object when the host sent none).</summary>
    public JsonElement Metadata { get; }

    /// <summary>Reads the body; throws <see cref="InvalidInvocationException"/> when it is not the invocation shape.</summary>
    public static async Task<InvocationRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException($"the body is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Find(root, "Data") is not { ValueKind: JsonValueKind.Object } data)
            {
                throw new InvalidInvocationException("the body must be an object with a Data object: { \"Data\": { ... }, \"Metadata\": { ... } }");
            }

            var metadata = Find(root, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m.Clone() : EmptyObject();
            return new InvocationRequest(data.Clone(), metadata);
        }
    }

    /// <summary>The value of binding <paramref name="name"/> in <c>Data</c>; throws when it is missing.</summary>
    public JsonElement Binding(string name) =>
        Find(Data, name) is { ValueKind: not JsonValueKind.Null } value ? value : throw new InvalidInvocationException($"Data has no '{name}' value");

    /// <summary>Metadata entry <paramref name="name"/>, or null.</summary>
    public JsonElement? MetadataValue(string name) => Find(Metadata, name);

    /// <summary>Property <paramref name="name"/> of <paramref name="element"/> in any casing, or null.</summary>
    public static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static JsonElement EmptyObject()
    {
        using var empty = JsonDocument.Parse("{}");
        return empty.RootElement.Clone();
    }
}
