using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Alerts;

/// <summary>How one attempt to deliver an alert went.</summary>
internal enum AlertSendOutcome
{
    /// <summary>The receiver took it (2xx).</summary>
    Delivered,

    /// <summary>Worth another try later: a timeout, no connection, 408, 429 or 5xx.</summary>
    Retry,

    /// <summary>Another try would fail the same way: another 4xx, a redirect, or a URL alerts may not go to.</summary>
    Failed,
}

/// <summary>The outcome of one delivery attempt, with the HTTP status when there was one and a line saying what happened.</summary>
internal sealed record AlertSendResult(AlertSendOutcome Outcome, int? Status, string Detail)
{
    /// <summary>How long the receiver asked to be left alone (<c>Retry-After</c> on a 429 or 503), at most 5 minutes.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// Sends one alert: a POST of its body with an <c>Idempotency-Key</c> header (the same on every attempt), within a
/// time limit, and says whether to try again. Redirects are not followed: a destination comes from a secret, and a
/// redirect would send the alert somewhere the secret does not name.
/// </summary>
/// <param name="client">The HTTP client; its handler must not follow redirects (<see cref="CreateHandler"/>).</param>
/// <param name="timeout">How long one attempt may take; <see cref="DefaultTimeout"/> unless a test says otherwise.</param>
internal sealed class AlertSender(HttpClient client, TimeSpan? timeout = null)
{
    /// <summary>How long one attempt may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The most attempts an alert gets before it is recorded as failed.</summary>
    public const int MostAttempts = 8;

    private const int LongestDetail = 200;

    /// <summary>The client every sender of this process shares (one connection pool), with no timeout of its own.</summary>
    public static HttpClient SharedClient { get; } = new(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A handler for <see cref="HttpClient"/> that keeps connections fresh and follows no redirect.</summary>
    public static SocketsHttpHandler CreateHandler() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1: 5 s, doubling, at most 5 minutes.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>
    /// Sends <paramref name="body"/> to <paramref name="url"/> once. The result's detail never holds the URL's path or
    /// query, nor a long segment of it: they carry the receiver's token, and the detail is recorded, shown and logged.
    /// </summary>
    public async Task<AlertSendResult> SendAsync(string url, JsonObject body, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (AlertUrls.Refusal(url) is { } refusal)
        {
            // The URL itself stays out of the detail: it came from a secret.
            return new AlertSendResult(AlertSendOutcome.Failed, null, $"the destination {refusal}");
        }

        var result = await AttemptAsync(url, body, idempotencyKey, cancellationToken).ConfigureAwait(false);
        return result with { Detail = Scrub(result.Detail, new Uri(url)) };
    }

    // Whatever a receiver or the network said may echo the URL (a 404 page naming the path, an error naming the
    // request): the path, the query and every long segment of them become "***".
    private static string Scrub(string detail, Uri url)
    {
        var secrets = new List<string> { url.AbsoluteUri, url.OriginalString, url.PathAndQuery, Uri.UnescapeDataString(url.PathAndQuery) };
        secrets.AddRange(url.AbsolutePath.Split('/').Concat(url.Query.TrimStart('?').Split('&', '='))
            .Where(part => part.Length >= 8));
        foreach (var secret in secrets.Where(s => s.Length > 1).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            detail = detail.Replace(secret, "***", StringComparison.Ordinal);
        }

        return detail;
    }

    private async Task<AlertSendResult> AttemptAsync(string url, JsonObject body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new AlertSendResult(AlertSendOutcome.Delivered, status, $"HTTP {status}");
            }

            var said = await FirstLineAsync(response, limit.Token).ConfigureAwait(false);
            return status switch
            {
                408 or 429 or >= 500 => new AlertSendResult(AlertSendOutcome.Retry, status, $"HTTP {status}{said}") { RetryAfter = AskedToWait(response) },
                >= 300 and < 400 => new AlertSendResult(
                    AlertSendOutcome.Failed, status, $"HTTP {status}: redirected to {Origin(response.Headers.Location)}; put the final URL in the secret"),
                _ => new AlertSendResult(AlertSendOutcome.Failed, status, $"HTTP {status}{said}"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AlertSendResult(AlertSendOutcome.Retry, null, $"no answer within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new AlertSendResult(AlertSendOutcome.Retry, null, Cut(e.Message));
        }
    }

    // What a receiver said of a refusal, for the record: its first line, cut short.
    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // The first few KB at most: a receiver's error page can be any size.
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var buffer = new char[4096];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            var text = new string(buffer, 0, read);
            var line = text.Split('\n', 2)[0].Trim();
            return line.Length == 0 ? "" : ": " + Cut(line);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }

    // Retry-After as seconds or a date; Slack and Teams send it with 429. Capped like the backoff.
    private static TimeSpan? AskedToWait(HttpResponseMessage response)
    {
        var wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        return wait is { } w && w > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Min(300, w.TotalSeconds)) : null;
    }

    // Where a redirect points, without its path or query (which may carry a token).
    private static string Origin(Uri? location) =>
        location is { IsAbsoluteUri: true } ? location.GetLeftPart(UriPartial.Authority) + "/…" : "another path of the same host";

    private static string Cut(string text) => text.Length <= LongestDetail ? text : text[..(LongestDetail - 1)] + "…";
}
