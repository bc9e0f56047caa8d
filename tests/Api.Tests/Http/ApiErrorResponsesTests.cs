using System.Net;
using Duraflow.Api.Auth;
using Duraflow.Api.Setup;
using Duraflow.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

/// <summary>Errors that ASP.NET or Kestrel would answer with an empty body are problem+json too.</summary>
public sealed class ApiErrorResponsesTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("GET", "/api/nope")]
    [InlineData("GET", "/api/runs/r1/steps")]
    [InlineData("PUT", "/api/pipelines/hello/runs/r1")]
    public async Task UnknownRoute_Is404ProblemNamingTheRoute(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        var response = await _project.Client.SendAsync(request);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Not found", problem.GetProperty("title").GetString());
        Assert.Contains($"there is no route {method} {path}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        // The fields the API's own problems have.
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.5", problem.GetProperty("type").GetString());
        Assert.StartsWith("00-", problem.GetProperty("trace_id").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/pipelines/hello/runs", "POST")]
    [InlineData("DELETE", "/api/runs/r1", "GET")]
    [InlineData("GET", "/api/runs/r1/cancel", "POST")]
    [InlineData("POST", "/api/pipelines", "GET")]
    public async Task WrongMethodOnAKnownRoute_Is405ProblemNamingTheMethodsItTakes(string method, string path, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        var response = await _project.Client.SendAsync(request);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("Method not allowed", problem.GetProperty("title").GetString());
        Assert.Contains($"does not take {method}; it takes {allowed}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(allowed, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task TheApisOwnProblems_AreLeftAsTheyAre()
    {
        var response = await _project.Client.GetAsync(new Uri("/api/runs/nope", UriKind.Relative));

        Assert.Equal("Run not found", (await ApiTestProject.ProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task ABodyOverKestrelsLimit_Is413Problem()
    {
        // A real Kestrel server with a small limit: Kestrel, not the API, refuses the body while it is read.
        using var folder = ProjectFolder();
        await using var app = App(folder, b => b.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 100));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var content = new StringContent($$"""{"x":"{{new string('x', 500)}}"}""", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/api/runs/r1/cancel", UriKind.Relative), content);

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The body is too large", problem.GetProperty("title").GetString());
        Assert.Contains("100", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task ADamagedStore_Is503ProblemSayingWhatIsWrongAndWhatToDo()
    {
        _project.Write(".duraflow/duraflow.db", "not a database, overwritten by accident......................................................");

        // As deployed: in Development, ASP.NET's exception page would answer before the app's own handling.
        using var production = _project.Factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var client = production.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiTestProject.Key);
        var response = await client.GetAsync(new Uri("/api/runs", UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The run store is unavailable", problem.GetProperty("title").GetString());
        Assert.Contains("is damaged or not a SQLite database", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailureInsideTheServer_Is500Problem_AndIsLogged()
    {
        using var folder = ProjectFolder();
        var logs = new CapturedLogs();
        await using var app = App(folder, b => b.Logging.AddProvider(logs), a => a.MapGet("/api/fails", string () => throw new InvalidOperationException("a bug")).Requires(ApiPermission.Read));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var response = await client.GetAsync(new Uri("/api/fails", UriKind.Relative));

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("a bug", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains("GET /api/fails failed", StringComparison.Ordinal) && l.Contains("a bug", StringComparison.Ordinal));
        await app.StopAsync();
    }

    private static TempFolder ProjectFolder()
    {
        var folder = new TempFolder();
        folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        folder.Write("pipelines/p/blocks/a.csx", "return 1;\n");
        return folder;
    }

    private static WebApplication App(TempFolder folder, Action<WebApplicationBuilder> configure, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("Duraflow:Project", (string?)folder.Root), KeyValuePair.Create("Duraflow:Auth:Disabled", (string?)"true")]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDuraflowApi(builder.Configuration, new ApiHosting(UnderFunctionsHost: false));
        configure(builder);
        var app = builder.Build();
        app.UseDuraflowApi();
        map?.Invoke(app);
        return app;
    }
}
