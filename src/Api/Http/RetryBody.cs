using System.Text.Json;

namespace Duraflow.Api.Http;

/// <summary>
/// The optional body of <c>POST /api/runs/{id}/retry</c>: nothing, <c>{}</c>, or <c>{"refresh": true}</c> to run on
/// the pipeline's files as they are now instead of the definition the run pinned.
/// </summary>
internal static class RetryBody
{
    private static readonly string[] Fields = ["refresh"];

    /// <summary>Whether the caller asked for a refresh, or the problem to answer with.</summary>
    public static async Task<(bool Refresh, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (problem is not null || root is not { } body)
        {
            return (false, problem);
        }

        if (KnownFields.Check(body, Fields, "a retry request") is { } unknown)
        {
            return (false, unknown);
        }

        return body.TryGetProperty("refresh", out var refresh)
            ? refresh.ValueKind switch
            {
                JsonValueKind.True => (true, null),
                JsonValueKind.False => (false, null),
                _ => (false, ApiProblems.BadField("refresh", $"must be true or false, not {refresh.ValueKind.ToString().ToLowerInvariant()}")),
            }
            : (false, null);
    }
}
