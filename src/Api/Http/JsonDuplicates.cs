using System.Text.Json;

namespace Duraflow.Api.Http;

/// <summary>
/// Finds property names repeated within one JSON object. The JSON parser keeps both, and which one a reader takes
/// differs between readers, so a request such as <c>{"parameters": {...}, "parameters": {...}}</c> is refused
/// rather than half-read. (.NET 10's <c>AllowDuplicateProperties = false</c> refuses too, but without saying where.)
/// </summary>
internal static class JsonDuplicates
{
    /// <summary>One repeated name.</summary>
    /// <param name="Field">Where it is, in the API's field notation: <c>parameters.day</c>, <c>parameters.rows[2].id</c>.</param>
    /// <param name="Name">The repeated name.</param>
    /// <param name="ObjectPath">The JSON path of the object that repeats it: <c>$</c>, <c>$.parameters</c>.</param>
    public sealed record Duplicate(string Field, string Name, string ObjectPath);

    /// <summary>Every name repeated in an object of <paramref name="root"/>, reported once per object, in document order.</summary>
    public static IReadOnlyList<Duplicate> Find(JsonElement root)
    {
        var found = new List<Duplicate>();
        Walk(root, "", found);
        return found;
    }

    // Recursion is bounded by the parser's MaxDepth, so deep input cannot overflow the stack here.
    private static void Walk(JsonElement element, string field, List<Duplicate> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var reported = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = Member(field, property.Name);
                    if (!seen.Add(property.Name))
                    {
                        if (reported.Add(property.Name))
                        {
                            found.Add(new Duplicate(child, property.Name, PathOf(field)));
                        }

                        continue;
                    }

                    Walk(property.Value, child, found);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{field}[{index++}]", found);
                }

                break;
        }
    }

    private static string PathOf(string field) => field.Length == 0 || field[0] == '[' ? "$" + field : "$." + field;

    // Plain names join with a dot; others (dots, spaces, quotes) are bracketed so the path stays unambiguous.
    private static string Member(string field, string name)
    {
        if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return field.Length == 0 ? name : $"{field}.{name}";
        }

        return $"{field}[{JsonSerializer.Serialize(name)}]";
    }
}
