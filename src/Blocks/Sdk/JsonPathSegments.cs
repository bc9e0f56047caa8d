namespace Duraflow.Blocks;

/// <summary>
/// The steps of a path as System.Text.Json reports where a value failed to convert (<c>$[2].amount</c>,
/// <c>$.tags[0]</c>, <c>$['order id']</c>): a property name or an array index each.
/// </summary>
internal static class JsonPathSegments
{
    /// <summary>One step: <see cref="Name"/> for a property, else <see cref="Index"/>.</summary>
    public readonly record struct Segment(string? Name, int Index);

    /// <summary>The steps after <c>$</c>; null when the text is not such a path.</summary>
    public static List<Segment>? Parse(string? path)
    {
        if (path is null || !path.StartsWith('$'))
        {
            return null;
        }

        var segments = new List<Segment>();
        var at = 1;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(at + 1)..end], 0));
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['"))
            {
                var end = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                segments.Add(new Segment(path[(at + 2)..end], 0));
                at = end + 2;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at);
                if (end < 0 || !int.TryParse(path.AsSpan(at + 1, end - at - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                segments.Add(new Segment(null, index));
                at = end + 1;
            }
            else
            {
                return null;
            }
        }

        return segments;
    }
}
