using System.Net;
using Duraflow.Functions.Auth;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Duraflow.Functions.Tests.Api;

public sealed class ApiAuthTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ApiAuthTests() => _folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ApiKey_MissingOrWrong_Is401Problem_AndRightKeyInEitherHeaderPasses()
    {
        _folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
        using var factory = Factory(("Duraflow:ApiKey", "s3cret"));
        using var client = factory.CreateClient();

        var missing = await client.GetAsync(new Uri("/api/pipelines", UriKind.Relative));
        var problem = await ApiTestProject.ProblemAsync(missing, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ApiKey", missing.Headers.WwwAuthenticate.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, "/api/runs", ("X-Api-Key", "s3cre"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, "/api/runs", ("Authorization", "Bearer s3cret"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("X-Api-Key", "s3cret"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "/api/runs", ("Authorization", "ApiKey s3cret"))).StatusCode);

        // Liveness and the Functions host's probe at "/" need no key.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task AuthDisabled_OnLoopback_ServesWithoutAKey()
    {
        _folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
        using var factory = Factory(("Duraflow:Auth:Disabled", "true"), ("urls", "http://127.0.0.1:5099;http://localhost:5098"));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/runs", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "true")]
    [InlineData("http://*:8080", "false")]
    [InlineData("http://127.0.0.1:8080;http://192.168.1.5:8080", "true")]
    public void NonLoopbackWithoutKey_RefusesToStart(string urls, string disabled)
    {
        using var factory = Factory(("Duraflow:Auth:Disabled", disabled), ("urls", urls));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Duraflow__ApiKey", Messages(error), StringComparison.Ordinal);
        Assert.Contains("other machines can reach", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeyAndAuthNotDisabled_RefusesToStartEvenOnLoopback()
    {
        using var factory = Factory();

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Duraflow__Auth__Disabled=true", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void UnderTheFunctionsHost_TheHostChecksFunctionKeys()
    {
        Assert.Equal(ApiAuthMode.FunctionsHost, ApiAuthModes.Resolve(new ApiAuthOptions(), underFunctionsHost: true, ["http://127.0.0.1:7071"]));
        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(new ApiAuthOptions { ApiKey = "k" }, underFunctionsHost: false, ["http://0.0.0.0:80"]));
    }

    [Theory]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://127.0.0.2:443", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://example.org:5000", false)]
    public void IsLoopback_OnlyForAddressesOfThisMachine(string address, bool loopback) =>
        Assert.Equal(loopback, ApiAuthModes.IsLoopback(address));

    private static async Task<HttpResponseMessage> Send(HttpClient client, string path, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await client.SendAsync(request);
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }

    private WebApplicationFactory<Program> Factory(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.Root);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
}
