using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Api.Http;

/// <summary>
/// Refuses body members an endpoint does not read. Ignoring them would let a typo such as <c>paramters</c> start a
/// run with default parameters, which the caller finds out only from its results.
/// </summary>
internal static class KnownFields
{
    /// <summary>
    /// One error per member of <paramref name="body"/> that is not in <paramref name="known"/>, with the likely
    /// intended field when one is close; null when all are known.
    /// </summary>
    /// <param name="body">The body's root object.</param>
    /// <param name="known">The fields the endpoint reads; empty for an endpoint that takes no fields.</param>
    /// <param name="request">What the body is for, for the message: <c>a start request</c>.</param>
    public static IResult? Check(JsonElement body, IReadOnlyList<string> known, string request)
    {
        var takes = known.Count == 0
            ? $"{request} takes no fields: send no body, or {{}}"
            : $"{request} takes {string.Join(", ", known)}";
        var errors = body.EnumerateObject()
            .Where(p => !known.Contains(p.Name, StringComparer.Ordinal))
            .Select(p => new FieldError(p.Name, $"is not a field; {EditDistance.DidYouMean(p.Name, known)}{takes}"))
            .ToList();
        return errors.Count == 0
            ? null
            : ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"'{e.Field}': {e.Message}")), errors);
    }
}
