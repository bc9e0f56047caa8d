using System.Net;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow serve</c>: the API of the Functions app as a local server, started as a user would start it.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ServeCommandTests()
    {
        _project.Write("pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("pipelines/hello/blocks/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Serve_ListensOnThePortWithTheApi_AndLogsEachRunsStartAndEnd()
    {
        await using var served = await ServedProject.StartAsync(_project.Root);

        Assert.StartsWith("serving ", served.Seen[0], StringComparison.Ordinal);
        Assert.Contains(served.Seen, l => l.Contains("Now listening", StringComparison.Ordinal));
        Assert.Contains("\"name\":\"hello\"", await served.Client.GetStringAsync(new Uri("/api/pipelines", UriKind.Relative)), StringComparison.Ordinal);

        // No route for the Functions host to deliver queue messages on: the server polls the queues itself.
        using var delivery = new StringContent("{}");
        Assert.Equal(HttpStatusCode.NotFound, (await served.Client.PostAsync(new Uri("/blocks", UriKind.Relative), delivery)).StatusCode);

        // The run log is at Information, which serve shows although it turns ASP.NET Core's own logs down to Warning.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var noParameters = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Accepted, (await served.Client.PostAsync(new Uri("/api/pipelines/hello/runs", UriKind.Relative), noParameters, limit.Token)).StatusCode);
        var started = await served.NextLineAsync(l => l.Contains(" of hello ", StringComparison.Ordinal), limit.Token);
        var ended = await served.NextLineAsync(l => l.Contains(" of hello succeeded in ", StringComparison.Ordinal), limit.Token);

        Assert.Matches(@"^Run hello-\S+ of hello started \(http\)$", started.Trim());
        Assert.Matches(@"^Run hello-\S+ of hello succeeded in [0-9.]+ s \(http\)$", ended.Trim());
    }

    [Fact]
    public async Task Serve_StoreOtherThanDuraflowYamls_IsUsageError()
    {
        var result = await CliRunner.RunAsync(_project.Root, "serve", "--store", "azure");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("serve uses duraflow.yaml's store.type (sqlite)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnknownRuntime_IsUsageError()
    {
        var result = await CliRunner.RunAsync(_project.Root, "serve", "--runtime", "lambda");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("lambda", result.Error, StringComparison.Ordinal);
        Assert.Contains("durable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortOutOfRange_IsUsageError()
    {
        var result = await CliRunner.RunAsync(_project.Root, "serve", "--port", "70000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--port 70000 is not a port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_a_key_is_a_usage_error_that_names_no_auth_and_how_to_set_a_key()
    {
        // An empty value counts as unset, so a key in the test machine's environment cannot hide the error.
        var result = await CliRunner.RunAsync(_project.Root, new Dictionary<string, string> { ["Duraflow__ApiKey"] = "" }, "serve", "--port", ServedProject.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("serve needs an API key: set one in the environment, as in export Duraflow__ApiKey=", result.Error, StringComparison.Ordinal);
        Assert.Contains("or pass --no-auth", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_half_an_entra_setup_is_a_usage_error_that_says_what_is_missing()
    {
        var result = await CliRunner.RunAsync(
            _project.Root,
            new Dictionary<string, string> { ["Duraflow__ApiKey"] = "k", ["Duraflow__Auth__Entra__Authority"] = "https://login.example.com/t/v2.0" },
            "serve",
            "--port",
            ServedProject.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Entra ID auth needs both", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_workspace_serves_its_project_under_its_routes_from_its_own_store_and_its_class_block_gets_its_inputs()
    {
        // A project just made by init: its compiled block reads its upstream blocks by its Run method's parameters,
        // which only a build tells, so the server must build blocks/ before it pins the run.
        using var other = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(other.Root, "init", "shop")).ExitCode);
        await using var served = await ServedProject.StartAsync(_project.Root, "--workspace", $"shop={other.PathOf("shop")}");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        served.Client.Timeout = TimeSpan.FromMinutes(4);

        var workspaces = await served.Client.GetStringAsync(new Uri("/api/workspaces", UriKind.Relative), limit.Token);
        using var noParameters = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var start = await served.Client.PostAsync(new Uri("/api/workspaces/shop/pipelines/hello/runs", UriKind.Relative), noParameters, limit.Token);
        var ended = await served.NextLineAsync(l => l.Contains(" of hello ", StringComparison.Ordinal) && !l.Contains(" started ", StringComparison.Ordinal), limit.Token);
        var location = start.Headers.Location!.OriginalString;
        using var run = System.Text.Json.JsonDocument.Parse(await served.Client.GetStringAsync(new Uri(location, UriKind.Relative), limit.Token));
        var defaultRuns = await served.Client.GetStringAsync(new Uri("/api/runs", UriKind.Relative), limit.Token);

        Assert.Contains(served.Seen, l => l.Contains($"as workspace shop (API under http://127.0.0.1:", StringComparison.Ordinal) && l.EndsWith("/api/workspaces/shop)", StringComparison.Ordinal));
        Assert.Equal("""{"items":[{"name":"default","api":"/api"},{"name":"shop","api":"/api/workspaces/shop"}]}""", workspaces);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.StartsWith("/api/workspaces/shop/runs/hello-", location, StringComparison.Ordinal);
        Assert.Matches(@"^\[workspace shop\] Run hello-\S+ of hello succeeded in [0-9.]+ s \(http\)$", ended.Trim());
        Assert.Equal("succeeded", run.RootElement.GetProperty("status").GetString());
        Assert.Equal("""{"items":[],"next_cursor":null}""", defaultRuns);
        Assert.True(File.Exists(other.PathOf("shop/.duraflow/duraflow.db")));
    }

    [Theory]
    [InlineData("shop", "--workspace shop: write NAME=FOLDER, as in --workspace sales=./sales")]
    [InlineData("=./x", "--workspace =./x: write NAME=FOLDER")]
    [InlineData("Shop=./x", "'Shop' is not a workspace name: use lowercase letters, digits and dashes")]
    [InlineData("default=./x", "'default' is the project served at /api (--project); choose another name")]
    [InlineData("shop=./missing", "--workspace shop: the folder ")]
    [InlineData("shop=.", ", the folder of the default workspace")]
    [InlineData("shop=./empty", "is not a project (it has no duraflow.yaml or pipelines folder)")]
    public async Task Serve_with_a_wrong_workspace_is_a_usage_error_that_names_it(string option, string expected)
    {
        _project.Write("empty/readme.txt", "not a project");

        var result = await CliRunner.RunAsync(_project.Root, "serve", "--no-auth", "--port", ServedProject.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--workspace", option);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_one_workspace_name_twice_or_two_workspaces_on_one_store_is_a_usage_error()
    {
        _project.Write("a/pipelines/x/pipeline.yaml", "name: x\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _project.Write("b/duraflow.yaml", $"store:\n  path: {_project.PathOf("a/.duraflow/duraflow.db")}\n");
        var port = ServedProject.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var twice = await CliRunner.RunAsync(_project.Root, "serve", "--no-auth", "--port", port, "--workspace", "a=./a", "--workspace", "a=./b");
        var shared = await CliRunner.RunAsync(_project.Root, "serve", "--no-auth", "--port", port, "--workspace", "a=./a", "--workspace", "b=./b");

        Assert.Equal((2, 2), (twice.ExitCode, shared.ExitCode));
        Assert.Contains("--workspace a is given twice", twice.Error, StringComparison.Ordinal);
        Assert.Contains("--workspace b: its duraflow.yaml's store (", shared.Error, StringComparison.Ordinal);
        Assert.Contains("is the store of workspace 'a'", shared.Error, StringComparison.Ordinal);
    }
}
