using System.Text.Json;

namespace Duraflow.Functions.Handler;

/// <summary>
/// The reply the Functions host expects: <c>{ "Outputs": {}, "Logs": [...], "ReturnValue": null }</c>. The status code
/// is what counts: non-2xx fails the invocation, so the host makes the queue message visible again and retries it.
/// </summary>
internal static class InvocationResponse
{
    // The host reads these names as they are; the app's snake_case JSON policy must not apply.
    private static readonly JsonSerializerOptions Options = new();

    /// <summary>200 with the invocation's log lines (they end up in the host's logs and Application Insights).</summary>
    public static IResult Ok(IReadOnlyList<string> logs) => Reply(StatusCodes.Status200OK, logs);

    /// <summary>A failed invocation: <paramref name="status"/> with the logs and why.</summary>
    public static IResult Failed(int status, IReadOnlyList<string> logs, string error) => Reply(status, [.. logs, error]);

    private static IResult Reply(int status, IReadOnlyList<string> logs) =>
        Results.Json(new Body(new Dictionary<string, object?>(), logs, null), Options, contentType: "application/json", statusCode: status);

    private sealed record Body(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);
}
