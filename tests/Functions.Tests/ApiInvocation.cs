using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>What the <c>api</c> function answered: status, media type, the body as JSON (when it is JSON) and as text, and the headers.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, string? ContentType, JsonElement Body)
{
    public string Text { get; init; } = "";

    public IHeaderDictionary Headers { get; init; } = new HeaderDictionary();
}

/// <summary>
/// Calls the <c>api</c> function with a request as the worker's ASP.NET Core integration hands it over (the path as the
/// browser sent it, at the site root), and with the durable client binding the host would give it. The app checks
/// callers itself, so a request carries <see cref="FunctionsApp.ApiKey"/> unless the test gives its own headers.
/// </summary>
internal static class ApiInvocation
{
    public static async Task<ApiAnswer> SendAsync(
        FunctionsApp app, string method, string path, string? body = null, DurableTaskClient? client = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("duraflow.azurewebsites.net");
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        foreach (var (name, value) in headers ?? new Dictionary<string, string> { ["X-Api-Key"] = FunctionsApp.ApiKey })
        {
            context.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            context.Request.ContentLength = context.Request.Body.Length;
        }

        var response = new MemoryStream();
        context.Response.Body = response;

        await app.Function<ApiFunction>().RunAsync(context.Request, client ?? TestDurableClient.Create());

        var text = Encoding.UTF8.GetString(response.ToArray());
        var type = context.Response.ContentType?.Split(';')[0];
        var parsed = type is not null && type.EndsWith("json", StringComparison.Ordinal) && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new ApiAnswer((HttpStatusCode)context.Response.StatusCode, type, parsed) { Text = text, Headers = context.Response.Headers };
    }
}
