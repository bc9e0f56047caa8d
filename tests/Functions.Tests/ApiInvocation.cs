using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Functions.Tests;

/// <summary>
/// Calls the <c>api</c> function with a request as the worker's ASP.NET Core integration hands it over, and with the
/// durable client binding the host would give it.
/// </summary>
internal static class ApiInvocation
{
    public static async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> SendAsync(
        FunctionsApp app, string method, string path, string? body = null, DurableTaskClient? client = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("duraflow.azurewebsites.net");
        context.Request.Path = path;
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
        var parsed = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((HttpStatusCode)context.Response.StatusCode, context.Response.ContentType?.Split(';')[0], parsed);
    }
}
