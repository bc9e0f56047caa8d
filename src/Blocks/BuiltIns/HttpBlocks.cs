using System.Globalization;
using System.Net;
using System.Text.Json;
using Duraflow.Blocks.Settings;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.BuiltIns;

/// <summary>
/// <c>http.get</c>: reads a JSON API into a table, page after page. Pages are followed through a next-page link in
/// the body (<c>next</c>), the <c>Link: &lt;...&gt;; rel="next"</c> header, or a page-number parameter (<c>page_param</c>).
/// </summary>
internal static class HttpBlocks
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromMinutes(2) };

    public static IEnumerable<BuiltInBlock> All =>
    [
        new("http.get", "GET a JSON API, following pagination, into a table",
            [
                new("url", ConfigKind.Text, "The first page's URL; templates allowed", Required: true),
                new("headers", ConfigKind.Map, "Request headers, e.g. Authorization: \"Bearer {{ secrets.api_token }}\""),
                new("items", ConfigKind.Text, "Dotted path to the records in each response, e.g. data.items (default: the response itself)"),
                new("next", ConfigKind.Text, "Dotted path to the next page's URL in the response, e.g. links.next or @odata.nextLink"),
                new("page_param", ConfigKind.Text, "Query parameter holding the page number, counted from page_start; stops at an empty page"),
                new("page_start", ConfigKind.Integer, "The first page number for page_param", Default: "1"),
                new("max_pages", ConfigKind.Integer, "Stop after this many pages", Default: "1000"),
            ],
            GetAsync),
    ];

    private static Task<BlockValue> GetAsync(BlockSettings settings, BlockContext context)
    {
        Directory.CreateDirectory(context.WorkDirectory);
        var path = Path.Combine(context.WorkDirectory, $"{context.Block}.parquet");
        var pages = 0;
        var table = TableWriter.WriteJson(Records(settings, context, () => pages++), path, context.CancellationToken);
        context.SetMetric("pages", pages);
        context.SetMetric("rows_read", table.CountRows());
        return Task.FromResult(BlockValue.Of(table));
    }

    private static IEnumerable<JsonElement> Records(BlockSettings settings, BlockContext context, Action pageRead)
    {
        var url = new Uri(settings.RequiredText("url"));
        var headers = settings.Map("headers");
        var pageParam = settings.Text("page_param");
        var page = settings.Integer("page_start") ?? 1;
        var maxPages = settings.Integer("max_pages") ?? 1000;
        for (var read = 0; read < maxPages; read++)
        {
            var requestUri = pageParam is null ? url : WithQuery(url, pageParam, page + read);
            var (body, next) = Fetch(requestUri, headers, context);
            pageRead();
            var records = Find(body, settings.Text("items"), requestUri, context);
            foreach (var record in records)
            {
                yield return record.ValueKind == JsonValueKind.Object ? record : BlockJson.ToElement(new { value = record });
            }

            var nextUrl = settings.Text("next") is { } nextPath ? Lookup(body, nextPath)?.GetString() : next;
            if (pageParam is not null)
            {
                if (records.Count == 0)
                {
                    yield break;
                }
            }
            else if (string.IsNullOrEmpty(nextUrl))
            {
                yield break;
            }
            else
            {
                url = new Uri(requestUri, nextUrl);
            }
        }

        if (context.Logger.IsEnabled(LogLevel.Warning))
        {
            context.Logger.LogWarning("stopped after max_pages ({MaxPages}) pages; raise max_pages to read more", maxPages);
        }
    }

    private static (JsonElement Body, string? Next) Fetch(Uri uri, IReadOnlyDictionary<string, string> headers, BlockContext context)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = Client.Send(request, context.CancellationToken);
        using var stream = response.Content.ReadAsStream(context.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = new StreamReader(stream).ReadToEnd();
            var message = $"block {context.Block}: GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}";

            // Throttling and server errors may pass; a wrong URL, token or request will not.
            throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500
                ? new HttpRequestException(message, null, response.StatusCode)
                : new NonRetryableBlockException(message);
        }

        try
        {
            using var document = JsonDocument.Parse(stream);
            return (document.RootElement.Clone(), NextFromLinkHeader(response));
        }
        catch (JsonException e)
        {
            throw new NonRetryableBlockException($"block {context.Block}: GET {uri} did not return JSON: {e.Message}", e);
        }
    }

    private static List<JsonElement> Find(JsonElement body, string? itemsPath, Uri uri, BlockContext context)
    {
        var items = itemsPath is null ? body : Lookup(body, itemsPath);
        return items switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().ToList(),
            { ValueKind: JsonValueKind.Null } or null when itemsPath is not null => [],
            { ValueKind: JsonValueKind.Object } single when itemsPath is null => [single],
            _ => throw new NonRetryableBlockException(
                $"block {context.Block}: the response of {uri} has no list at '{itemsPath ?? "(root)"}'; set with.items to the path of the records"),
        };
    }

    /// <summary>A dotted path into a JSON body; a segment may itself contain no dots (<c>@odata.nextLink</c> is tried whole first).</summary>
    private static JsonElement? Lookup(JsonElement body, string path)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(path, out var whole))
        {
            return whole;
        }

        JsonElement? current = body;
        foreach (var segment in path.Split('.'))
        {
            current = current is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child) ? child : null;
        }

        return current is { ValueKind: JsonValueKind.Null } ? null : current;
    }

    private static string? NextFromLinkHeader(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Skip(1).Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
            {
                return parts[0].Trim().TrimStart('<').TrimEnd('>');
            }
        }

        return null;
    }

    private static Uri WithQuery(Uri url, string name, long value)
    {
        var builder = new UriBuilder(url);
        var pair = $"{Uri.EscapeDataString(name)}={value.ToString(CultureInfo.InvariantCulture)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) ? pair : builder.Query.TrimStart('?') + "&" + pair;
        return builder.Uri;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
