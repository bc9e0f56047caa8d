using System.Net;
using System.Reflection;
using System.Text.Json;
using Duraflow.Api.Setup;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Duraflow.Api.Tests;

public sealed class PipelineEndpointsTests : IDisposable
{
    private readonly TempFolder _broken = new();

    public void Dispose() => _broken.Dispose();

    [Fact]
    public async Task Root_AnswersAtOnceForTheFunctionsHost()
    {
        using var factory = Factory(RepositoryPaths.Examples);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await Json(client, "/api/health")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ListPipelines_ReturnsEveryPipelineInSnakeCase()
    {
        using var factory = Factory(RepositoryPaths.Examples);
        using var client = factory.CreateClient();

        var items = (await Json(client, "/api/pipelines")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(["new_orders", "orders", "refresh_customers", "region_reports"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(4, items[1].GetProperty("blocks").GetInt32());
        Assert.True(items[1].GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task GetPipeline_ReturnsBlocksInOrderWithUpstreamAndMermaid()
    {
        using var factory = Factory(RepositoryPaths.Examples);
        using var client = factory.CreateClient();

        var pipeline = await Json(client, "/api/pipelines/region_reports");
        var blocks = pipeline.GetProperty("blocks").EnumerateArray().ToList();

        Assert.Equal(["list_regions", "region_report", "combine_reports"], blocks.Select(b => b.GetProperty("name").GetString()));
        Assert.True(blocks[0].GetProperty("fan_out").GetBoolean());
        Assert.Equal(["list_regions"], blocks[1].GetProperty("upstream").EnumerateArray().Select(u => u.GetString()));
        Assert.StartsWith("flowchart LR", pipeline.GetProperty("mermaid").GetString(), StringComparison.Ordinal);
        Assert.True(pipeline.GetProperty("parameters")[0].GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task GetPipeline_Unknown_IsProblemJson404()
    {
        using var factory = Factory(RepositoryPaths.Examples);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/pipelines/nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no pipeline 'nope'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPipeline_Invalid_Is422WithLocatedErrors()
    {
        _broken.Write("pipelines/bad/pipeline.yaml", "name: bad\nblocks:\n  - { name: a, uses: csv.read, upstream: [b], with: { path: a.csv } }\n");
        using var factory = Factory(_broken.Root);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/pipelines/bad", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray()).GetString();
        Assert.StartsWith("pipelines/bad/pipeline.yaml:3:43: error DF001", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPipeline_ScriptThatDoesNotCompile_Is422WithTheCompileErrorInTheScript()
    {
        _broken.Write("pipelines/bad/pipeline.yaml", "name: bad\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _broken.Write("pipelines/bad/blocks/a.csx", "var rows = 3;\nreturn row;\n");
        using var factory = Factory(_broken.Root);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/pipelines/bad", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray()).GetString();
        Assert.Equal("pipelines/bad/blocks/a.csx:2:8: error DF022: CS0103: The name 'row' does not exist in the current context", error);
    }

    [Fact]
    public async Task GetPipeline_ParameterDefaults_AreJsonValuesOfTheirType()
    {
        _broken.Write("pipelines/typed/pipeline.yaml", """
            name: typed
            parameters:
              n: { type: int, default: 42 }
              ratio: { type: number, default: 2.5 }
              loud: { type: bool, default: true }
              day: { type: date, default: 2026-11-24 }
              at: { type: datetime, default: "2026-11-24T06:00:00Z" }
              extra: { type: json, default: { a: [1, 2] } }
              label: { type: string, default: "007" }
              free: { type: string }
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
            """);
        using var factory = Factory(_broken.Root);
        using var client = factory.CreateClient();

        var parameters = (await Json(client, "/api/pipelines/typed")).GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("default").GetRawText());

        Assert.Equal("42", parameters["n"]);
        Assert.Equal("2.5", parameters["ratio"]);
        Assert.Equal("true", parameters["loud"]);
        Assert.Equal("\"2026-11-24\"", parameters["day"]);
        Assert.Equal("\"2026-11-24T06:00:00+00:00\"", parameters["at"]);
        Assert.Equal("{\"a\":[1,2]}", parameters["extra"]);
        Assert.Equal("\"007\"", parameters["label"]);
        Assert.Equal("null", parameters["free"]);
    }

    [Fact]
    public async Task Health_ReportsTheBuildsInformationalVersion_AsDuraflowVersionDoes()
    {
        using var factory = Factory(RepositoryPaths.Examples);
        using var client = factory.CreateClient();

        var version = (await Json(client, "/api/health")).GetProperty("version").GetString();

        Assert.Equal(typeof(ApiSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, version);
    }

    private static WebApplicationFactory<ApiFactory> Factory(string project) =>
        new ApiFactory().WithWebHostBuilder(b => b.UseSetting("Duraflow:Project", project).UseSetting("Duraflow:Auth:Disabled", "true"));

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
