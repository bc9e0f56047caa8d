using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Duraflow.Tests.Ai;

/// <summary>
/// An OpenAI-compatible chat completions server on a loopback port, as a local model server would be: each request
/// gets the next recorded answer a test queued (or the next status), and is kept with its path and headers.
/// </summary>
internal sealed class StubChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Text)> _answers = new();

    // A status no answer uses: the text is the whole body, sent as it is.
    private const int RawBody = 299;

    private StubChatServer(WebApplication app) => _app = app;

    /// <summary>Each request, in arrival order.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Runs when a request arrives, before it is answered: a test changes files while the model "thinks".</summary>
    public Action? OnRequest { get; set; }

    /// <summary>The server's base URL, such as <c>http://127.0.0.1:PORT</c>.</summary>
    public string Url => _app.Urls.Single();

    public static async Task<StubChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var server = new StubChatServer(builder.Build());
        server._app.Run(server.AnswerAsync);
        await server._app.StartAsync();
        return server;
    }

    /// <summary>The next requests are answered with these texts, in order, as the assistant's message.</summary>
    public void Answer(params string[] texts)
    {
        foreach (var text in texts)
        {
            _answers.Enqueue((200, text));
        }
    }

    /// <summary>The next request is answered 200 with <paramref name="body"/> as the whole body, whatever it is.</summary>
    public void Raw(string body) => _answers.Enqueue((RawBody, body));

    /// <summary>The next request is answered with <paramref name="status"/> and an OpenAI-style error body.</summary>
    public void Fail(int status, string message) => _answers.Enqueue((status, message));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Request(
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["api-key"].FirstOrDefault(),
            JsonNode.Parse(body)!));
        OnRequest?.Invoke();
        var (status, text) = _answers.TryDequeue(out var next) ? next : (500, "the test queued no more answers");
        context.Response.ContentType = "application/json";
        if (status == RawBody)
        {
            await context.Response.WriteAsync(text);
            return;
        }

        context.Response.StatusCode = status;
        var answer = status == 200
            ? new JsonObject
            {
                ["id"] = $"chatcmpl-{Requests.Count}",
                ["object"] = "chat.completion",
                ["created"] = 1_765_000_000,
                ["model"] = "stub",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
            }
            : new JsonObject { ["error"] = new JsonObject { ["message"] = text, ["type"] = "invalid_request_error" } };
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>One request as it arrived.</summary>
    /// <param name="Path">Its path and query.</param>
    /// <param name="Authorization">Its Authorization header.</param>
    /// <param name="ApiKey">Its api-key header (Azure OpenAI's).</param>
    /// <param name="Body">Its JSON body.</param>
    internal sealed record Request(string Path, string? Authorization, string? ApiKey, JsonNode Body)
    {
        /// <summary>The model the request named.</summary>
        public string? Model => Body["model"]?.GetValue<string>();

        /// <summary>The text of each message, in order, as role: text.</summary>
        public IReadOnlyList<(string Role, string Text)> Messages =>
            [.. Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), Text(m["content"])))];

        // A message's content is a string, or a list of parts whose text parts make it up.
        private static string Text(JsonNode? content) => content switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
            _ => "",
        };
    }
}
