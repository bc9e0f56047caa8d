using System.Reflection;
using System.Text.Json;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Turns an Azure SDK refusal into a <see cref="BlobEventFormatException"/> that names the field at fault. The SDK's
/// own messages name no field ("requires an element of type 'String'"), so the JSON object is compared with the public
/// properties of the SDK model that refused it: a JSON member matches the property of its name, whatever the case.
/// </summary>
/// <remarks>Runs only after the SDK has refused an event; it never decides what is accepted.</remarks>
internal static class EventModelMismatch
{
    /// <summary>The error to throw for <paramref name="refusal"/>, naming the field at fault; null when none is found.</summary>
    /// <param name="json">The object the SDK was reading.</param>
    /// <param name="path">Its JSON path.</param>
    /// <param name="model">The SDK type it was read as.</param>
    /// <param name="refusal">The SDK's exception, kept as the inner exception.</param>
    public static BlobEventFormatException? Find(JsonElement json, string path, Type model, Exception refusal)
    {
        var properties = model.GetProperties(BindingFlags.Public | BindingFlags.Instance);

        // The Event Grid envelope names the missing required property in ArgumentNullException.ParamName.
        if (refusal is ArgumentNullException { ParamName: { } missing }
            && properties.Any(p => string.Equals(p.Name, missing, StringComparison.Ordinal))
            && !HasValue(json, missing))
        {
            return new BlobEventFormatException($"{path}.{char.ToLowerInvariant(missing[0])}{missing[1..]}: missing", refusal);
        }

        foreach (var member in json.EnumerateObject())
        {
            var property = Array.Find(properties, p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));
            if (property is not null && Problem(property.PropertyType, member.Value) is { } problem)
            {
                return new BlobEventFormatException($"{path}.{member.Name}: {problem}", refusal);
            }
        }

        return null;
    }

    private static bool HasValue(JsonElement json, string name) =>
        json.EnumerateObject().Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) && m.Value.ValueKind != JsonValueKind.Null);

    /// <summary>What is wrong with <paramref name="value"/> for a property of <paramref name="type"/>; null when nothing is, or when the type is not one checked here.</summary>
    private static string? Problem(Type type, JsonElement value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var valueType = underlying ?? type;
        string? expected = null;
        var fits = false;
        if (valueType == typeof(string))
        {
            (expected, fits) = ("a string", value.ValueKind == JsonValueKind.String);
        }
        else if (valueType == typeof(DateTimeOffset))
        {
            (expected, fits) = ("an RFC 3339 date-time", value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _));
        }
        else if (valueType == typeof(long) || valueType == typeof(int))
        {
            (expected, fits) = ("a whole number", value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _));
        }
        else if (valueType == typeof(bool))
        {
            (expected, fits) = ("true or false", value.ValueKind is JsonValueKind.True or JsonValueKind.False);
        }

        if (expected is null || fits || (value.ValueKind == JsonValueKind.Null && (underlying is not null || !type.IsValueType)))
        {
            return null;
        }

        var found = value.ValueKind == JsonValueKind.String ? $"'{BlobEventParser.Preview(value.GetString()!)}'" : BlobEventParser.Describe(value.ValueKind);
        return $"expected {expected}, found {found}";
    }
}
