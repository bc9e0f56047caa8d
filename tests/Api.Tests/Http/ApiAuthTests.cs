using System.Net;
using Duraflow.Api.Auth;
using Duraflow.Api.Setup;
using Duraflow.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Duraflow.Api.Tests.Http;

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
    [InlineData("http://0.0.0.0:0", "true")]
    [InlineData("http://*:0", "false")]
    [InlineData("http://127.0.0.1:0;http://192.168.1.5:0", "true")]
    public async Task NonLoopbackWithoutKey_RefusesToStart(string urls, string disabled)
    {
        // A real Kestrel host: the check runs when the server starts, before it binds any address.
        await using var app = App(urls, ("Duraflow:Auth:Disabled", disabled));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Duraflow__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("other machines can reach", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKeyAndAuthNotDisabled_RefusesToStartEvenOnLoopback()
    {
        await using var app = App("http://127.0.0.1:0");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Duraflow__Auth__Disabled=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthDisabled_OnARealLoopbackSocket_ServesWithoutAKey()
    {
        _folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
        await using var app = App("http://127.0.0.1:0", ("Duraflow:Auth:Disabled", "true"));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var response = await client.GetAsync(new Uri("/api/runs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void UnderTheFunctionsHost_TheAppChecksALongEnoughKey_AsAPublicServerDoes()
    {
        var key = new string('k', ApiAuthModes.ShortestInternetKey);

        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(new ApiAuthOptions { ApiKey = key }, underFunctionsHost: true, ["http://127.0.0.1:7071"]));
        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(new ApiAuthOptions { ApiKey = "k" }, underFunctionsHost: false, ["http://0.0.0.0:80"]));
    }

    [Theory]
    [InlineData(null, false, true, "has no API key")]
    [InlineData("", true, true, "Duraflow__Auth__Disabled cannot apply")]
    [InlineData("0123456789abcdef0123456789abcdef", true, true, "Duraflow__Auth__Disabled cannot apply")]
    [InlineData("0123456789abcdef0123456789abcde", false, true, "takes keys of 32 characters or more")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv;SecretName=duraflow-api-key)", false, true, "Key Vault reference")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k/)", false, false, "Key Vault reference")]
    public void Resolve_RefusesSettingsThatWouldLeaveTheApiOpen_NamingTheFix(string? key, bool disabled, bool underFunctionsHost, string fix)
    {
        var options = new ApiAuthOptions { ApiKey = key, Auth = { Disabled = disabled } };

        var error = Assert.Throws<InvalidOperationException>(() => ApiAuthModes.Resolve(options, underFunctionsHost, ["http://127.0.0.1:7071"]));

        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
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

    private WebApplication App(string urls, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(KeyValuePair.Create("Duraflow:Project", (string?)_folder.Root)));
        builder.WebHost.UseUrls(urls);
        builder.Services.AddDuraflowApi(builder.Configuration, new ApiHosting(UnderFunctionsHost: false));
        var app = builder.Build();
        app.UseDuraflowApi();
        return app;
    }

    private WebApplicationFactory<ApiFactory> Factory(params (string Key, string Value)[] settings) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.Root);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
}
