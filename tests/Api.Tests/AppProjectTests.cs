using System.Net;
using System.Net.Http.Json;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Api.Tests.Http;
using Duraflow.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests;

/// <summary>App settings over duraflow.yaml: Duraflow__Project, __Store, __StorePrefix, __Runtime and __LocalDirectory.</summary>
public sealed class AppProjectTests : IDisposable
{
    // The content root; the project is its subfolder "project", as in the deploy package.
    private readonly TempFolder _app = new();

    public AppProjectTests()
    {
        _app.Write("project/duraflow.yaml", "store:\n  type: azure\n  prefix: fromyaml\n");
        _app.Write("project/pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _app.Write("project/pipelines/hello/blocks/a.csx", "return 21 * 2;\n");
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RelativeProject_ResolvesAgainstTheContentRoot()
    {
        using var factory = Factory(("Duraflow:Project", "project"));
        using var client = factory.CreateClient();

        Assert.Equal(_app.PathOf("project"), factory.Services.GetRequiredService<PipelineCatalog>().Root);
        var pipelines = await client.GetStringAsync(new Uri("/api/pipelines", UriKind.Relative));
        Assert.Contains("hello", pipelines, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutOverrides_DuraflowYamlDecides()
    {
        using var factory = Factory(("Duraflow:Project", "project"));

        var project = factory.Services.GetRequiredService<AppProject>().Open();

        Assert.Equal((StoreKind.Azure, "fromyaml"), (project.Settings.Store, project.Settings.StorePrefix));
        Assert.Equal(_app.PathOf("project/.duraflow"), project.LocalDirectory);
    }

    [Fact]
    public void StoreAndStorePrefix_OverrideDuraflowYaml()
    {
        using var factory = Factory(("Duraflow:Project", "project"), ("Duraflow:Store", "sqlite"), ("Duraflow:StorePrefix", "prod7"));

        var project = factory.Services.GetRequiredService<AppProject>().Open();

        Assert.Equal((StoreKind.Sqlite, "prod7"), (project.Settings.Store, project.Settings.StorePrefix));
    }

    [Fact]
    public void StoreAzure_OverridesASqliteProject()
    {
        _app.Write("project/duraflow.yaml", "store:\n  type: sqlite\n");
        using var factory = Factory(("Duraflow:Project", "project"), ("Duraflow:Store", "azure"));

        Assert.Equal(StoreKind.Azure, factory.Services.GetRequiredService<AppProject>().Open().Settings.Store);
    }

    [Theory]
    [InlineData("Duraflow:Store", "blob", "Duraflow__Store (configuration Duraflow:Store) is 'blob'; it must be 'azure' or 'sqlite'")]
    [InlineData("Duraflow:Runtime", "lambda", "Duraflow__Runtime (configuration Duraflow:Runtime) is 'lambda'; it must be one of duraflow, durable")]
    [InlineData("Duraflow:StorePrefix", "Bad-Prefix", "Duraflow__StorePrefix (configuration Duraflow:StorePrefix) 'Bad-Prefix' must be 3 to 40 lowercase letters and digits starting with a letter")]
    public async Task BadSetting_StartsTheApp_AndReadyNamesTheSetting(string setting, string value, string message)
    {
        using var factory = Factory(("Duraflow:Project", "project"), (setting, value));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
        var response = await client.GetAsync(new Uri("/api/ready", UriKind.Relative));
        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(message, problem.GetProperty("checks").GetProperty("store").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "duraflow")]
    [InlineData("runtime: durable\n", null, "durable")]
    [InlineData("runtime: durable\n", "duraflow", "duraflow")]
    [InlineData(null, "durable", "durable")]
    public void Runtime_AppSettingOverDuraflowYaml_OverTheServersDefault(string? yaml, string? setting, string expected)
    {
        _app.Write("project/duraflow.yaml", yaml ?? "");
        using var factory = setting is null ? Factory(("Duraflow:Project", "project")) : Factory(("Duraflow:Project", "project"), ("Duraflow:Runtime", setting));

        Assert.Equal(expected, RuntimeNames.Of(factory.Services.GetRequiredService<AppProject>().Open().Settings.Runtime!.Value));
    }

    [Fact]
    public async Task LocalDirectory_HoldsTheScriptCacheAndScratchFiles_NotTheProjectFolder()
    {
        using var local = new TempFolder();
        using var factory = Factory(("Duraflow:Project", "project"), ("Duraflow:Store", "sqlite"), ("Duraflow:LocalDirectory", local.Root));
        using var client = factory.CreateClient();

        Assert.Equal(Path.Combine(local.Root, "cache", "scripts"), factory.Services.GetRequiredService<AppProject>().Open().ScriptCacheDirectory);
        var started = await client.PostAsJsonAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), new { });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await ApiTestProject.ReadAsync(started)).GetProperty("run_id").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var engine = await factory.Services.GetRequiredService<SharedEngine>().GetAsync(timeout.Token);
        Assert.Equal(RunStatus.Succeeded, (await engine.RunUntilFinishedAsync(runId, null, timeout.Token)).Status);

        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(local.Root, "cache", "scripts"), "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(_app.PathOf("project/.duraflow/cache")), "the script cache went to the project folder");
    }

    [Fact]
    public void RelativeLocalDirectory_ResolvesAgainstTheContentRoot()
    {
        using var factory = Factory(("Duraflow:Project", "project"), ("Duraflow:LocalDirectory", "scratch"));

        Assert.Equal(_app.PathOf("scratch"), factory.Services.GetRequiredService<AppProject>().Open().LocalDirectory);
    }

    private WebApplicationFactory<ApiFactory> Factory(params (string Key, string Value)[] settings) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseContentRoot(_app.Root);
            b.UseSetting("Duraflow:Auth:Disabled", "true");
            b.UseSetting("Duraflow:LocalWorkers", "false");
            b.UseSetting("Duraflow:Schedules", "false");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
}
