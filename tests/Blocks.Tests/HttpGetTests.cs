using System.Net;
using System.Text;
using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>http.get against a real local HTTP server that pages its answers.</summary>
public sealed class HttpGetTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly HttpListener _listener = new();
    private readonly List<string> _requests = [];
    private readonly Task _serving;
    private Func<HttpListenerRequest, (int Status, string Body, string? Link)> _answer = _ => (404, "{}", null);

    public HttpGetTests()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private int Port { get; }

    public void Dispose()
    {
        _listener.Close();
        _folder.Dispose();
    }

    public sealed record Customer(long Id, string Name);

    [Fact]
    public async Task Follows_next_links_in_the_body_until_there_are_none()
    {
        _answer = request => request.Url!.PathAndQuery switch
        {
            "/customers" => (200, """{"data": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}], "links": {"next": "/customers?after=2"}}""", null),
            "/customers?after=2" => (200, """{"data": [{"id": 3, "name": "Cy"}], "links": {"next": null}}""", null),
            _ => (404, "{}", null),
        };

        var (table, context) = await GetAsync($$$"""{"url": "http://127.0.0.1:{{{Port}}}/customers", "items": "data", "next": "links.next", "headers": {"X-Token": "{{ params.token }}"}}""");

        Assert.Equal([new Customer(1, "Ada"), new Customer(2, "Bob"), new Customer(3, "Cy")], table.Rows<Customer>());
        Assert.Equal(["/customers token=t1", "/customers?after=2 token=t1"], _requests);
        Assert.Equal(2, context.Metrics["pages"]);
    }

    [Fact]
    public async Task Follows_the_link_header_and_page_numbers()
    {
        _answer = request => request.Url!.PathAndQuery switch
        {
            "/a" => (200, """[{"id": 1, "name": "Ada"}]""", $"<http://127.0.0.1:{Port}/b>; rel=\"next\""),
            "/b" => (200, """[{"id": 2, "name": "Bob"}]""", null),
            "/p?page=1" => (200, """[{"id": 5, "name": "Eve"}]""", null),
            "/p?page=2" => (200, """[]""", null),
            _ => (404, "{}", null),
        };

        var (linked, _) = await GetAsync($$"""{"url": "http://127.0.0.1:{{Port}}/a"}""");
        var (numbered, _) = await GetAsync($$"""{"url": "http://127.0.0.1:{{Port}}/p", "page_param": "page"}""");

        Assert.Equal([1L, 2L], linked.Rows<Customer>().Select(c => c.Id));
        Assert.Equal([5L], numbered.Rows<Customer>().Select(c => c.Id));
    }

    [Fact]
    public async Task A_client_error_fails_without_retry_and_a_server_error_is_retryable()
    {
        _answer = request => request.Url!.AbsolutePath == "/gone" ? (404, """{"error": "no such list"}""", null) : (503, "busy", null);

        var missing = await Assert.ThrowsAsync<NonRetryableBlockException>(() => GetAsync($$"""{"url": "http://127.0.0.1:{{Port}}/gone"}"""));
        var busy = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync($$"""{"url": "http://127.0.0.1:{{Port}}/busy"}"""));

        Assert.Contains("answered 404 Not Found: {\"error\": \"no such list\"}", missing.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
    }

    private async Task<(Table Table, BlockContext Context)> GetAsync(string with)
    {
        var context = BlockContexts.Create(_folder.Root, parameters: """{"token": "t1"}""");
        var block = BuiltInBlocks.Find("http.get")!;
        using var document = JsonDocument.Parse(with);
        var value = await block.Run(await BlockSettings.CreateAsync(document.RootElement.Clone(), block, context), context);
        return (value.Table!, context);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext exchange;
            try
            {
                exchange = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            lock (_requests)
            {
                var token = exchange.Request.Headers["X-Token"];
                _requests.Add(exchange.Request.Url!.PathAndQuery + (token is null ? "" : $" token={token}"));
            }

            var (status, body, link) = _answer(exchange.Request);
            exchange.Response.StatusCode = status;
            if (link is not null)
            {
                exchange.Response.AddHeader("Link", link);
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            await exchange.Response.OutputStream.WriteAsync(bytes);
            exchange.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
