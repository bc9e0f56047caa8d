using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Functions.Tests;

/// <summary>
/// What a deployment zip holds: <c>dotnet publish</c> of src/Functions with <c>DuraflowPackage</c> must zip what the
/// Functions host loads a .NET isolated app from (docs/triggers.md, "The deploy package"): host.json, the worker with
/// its worker.config.json, the functions and their bindings in functions.metadata, the host extensions the triggers
/// need (extensions.json and .azurefunctions/), every file readable, and the project under project/ without its local
/// state or secrets.
/// </summary>
public sealed class PublishTests : IDisposable
{
    // Octal 0644 for regular files, as zip's external attributes carry it (the high 16 bits).
    private const int Readable = 0b110_100_100;

    private readonly TempFolder _work = new();
    private Dictionary<string, ZipArchiveEntry> _entries = [];

    public PublishTests()
    {
        _work.Write("project/duraflow.yaml", "name: packaged\nstore:\n  type: azure\n");
        _work.Write("project/io_config.yaml", "default:\n  files:\n    type: local\n    path: data\n");
        _work.Write("project/pipelines/hello/pipeline.yaml", "name: hello\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        _work.Write("project/pipelines/hello/blocks/a.csx", "return 42;\n");

        // Local state and secrets that must stay on this machine.
        _work.Write("project/secrets.local.yaml", "warehouse_connection: do-not-ship\n");
        _work.Write("project/.duraflow/duraflow.db", "local runs");
        _work.Write("project/output/result.csv", "a\n1\n");
        _work.Write("project/pipelines/hello/bin/stale.dll", "build output");
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Package_ZipsTheIsolatedWorkerItsFunctionsMetadataTheExtensionsAndTheProject()
    {
        var zipPath = _work.PathOf("out/app.zip");
        _work.Write("out/app.zip", "a stale zip, replaced");
        var (exitCode, log) = await PublishAsync(_work.PathOf("project"), zipPath);
        Assert.True(exitCode == 0, $"dotnet publish failed:\n{log}");

        using var zip = ZipFile.OpenRead(zipPath);
        _entries = zip.Entries.ToDictionary(e => e.FullName);
        Assert.All(_entries.Keys, n => Assert.Equal(Readable, Mode(n)));

        // host.json: no custom handler and no extension bundle (the app ships its extensions); the app at the site root.
        using var host = JsonDocument.Parse(Read("host.json"));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
        Assert.False(host.RootElement.TryGetProperty("extensionBundle", out _));
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("00:30:00", host.RootElement.GetProperty("functionTimeout").GetString());

        // The worker the host starts with dotnet.
        using var worker = JsonDocument.Parse(Read("worker.config.json"));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        var workerPath = description.GetProperty("defaultWorkerPath").GetString()!;
        Assert.Equal("Duraflow.Functions.dll", workerPath);
        Assert.Contains(workerPath, _entries.Keys);

        // The functions and their triggers, as the host indexes them.
        using var metadata = JsonDocument.Parse(Read("functions.metadata"));
        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
        Assert.Equal(
            ["DuraflowBlockV1", "DuraflowRecordV1", "DuraflowRunV1", "alerts", "api", "blobevents", "blocks", "orchestration", "schedule"],
            functions.Keys.Order(StringComparer.Ordinal));
        var api = Trigger(functions["api"], "httpTrigger");
        Assert.Equal("Anonymous", api.GetProperty("authLevel").GetString());
        Assert.Equal("{*path}", api.GetProperty("route").GetString());
        Assert.Equal(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"], api.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal));
        Assert.Equal("0 */1 * * * *", Trigger(functions["schedule"], "timerTrigger").GetProperty("schedule").GetString());
        Assert.Equal("%DURAFLOW_QUEUE_PREFIX%-orchestration", Trigger(functions["orchestration"], "queueTrigger").GetProperty("queueName").GetString());
        Assert.Equal("%DURAFLOW_QUEUE_PREFIX%-blocks", Trigger(functions["blocks"], "queueTrigger").GetProperty("queueName").GetString());
        Assert.Equal("%DURAFLOW_QUEUE_PREFIX%-alerts", Trigger(functions["alerts"], "queueTrigger").GetProperty("queueName").GetString());
        Assert.Equal("%DURAFLOW_BLOB_EVENTS_QUEUE%", Trigger(functions["blobevents"], "queueTrigger").GetProperty("queueName").GetString());
        foreach (var queueFunction in new[] { "orchestration", "blocks", "alerts", "blobevents" })
        {
            // No connection named: the triggers use AzureWebJobsStorage (its identity-based __ settings in Azure).
            Assert.False(Trigger(functions[queueFunction], "queueTrigger").TryGetProperty("connection", out var connection) && connection.GetString() is { Length: > 0 });
        }

        // The Durable runtime: its orchestrator and activities under the names it schedules them by, and a durable
        // client on every function that may start a run (the API, schedules, blob events).
        Assert.Equal(["orchestrationTrigger"], BindingTypes(functions["DuraflowRunV1"]));
        // The block activity also takes a durable client: a block that runs a pipeline starts its child with it.
        Assert.Equal(["activityTrigger", "durableClient"], BindingTypes(functions["DuraflowBlockV1"]));
        Assert.Equal(["activityTrigger"], BindingTypes(functions["DuraflowRecordV1"]));
        foreach (var starter in new[] { "api", "schedule", "blobevents" })
        {
            Trigger(functions[starter], "durableClient");
        }

        Assert.All(["orchestration", "blocks"], name => Assert.DoesNotContain("durableClient", BindingTypes(functions[name])));

        // The queue and Durable Task extensions the host loads from the package; HTTP and timers are built into the host.
        using var extensions = JsonDocument.Parse(Read("extensions.json"));
        var loaded = extensions.RootElement.GetProperty("extensions").EnumerateArray().ToList();
        Assert.Contains(loaded, e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        Assert.Contains(loaded, e => e.GetProperty("name").GetString() == "DurableTask"
            && e.GetProperty("typeName").GetString()!.Contains("Microsoft.Azure.WebJobs.Extensions.DurableTask", StringComparison.Ordinal));
        Assert.All(loaded, e => Assert.Contains(e.GetProperty("hintPath").GetString()!.Replace("./", "", StringComparison.Ordinal), _entries.Keys));
        Assert.Contains(".azurefunctions/Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll", _entries.Keys);
        Assert.Contains(".azurefunctions/Microsoft.Azure.WebJobs.Extensions.DurableTask.dll", _entries.Keys);

        // The task hub host.json names, on the identity-based AzureWebJobsStorage (see DurableTaskSection below).
        Assert.Equal("%DURAFLOW_TASK_HUB%", host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());

        Assert.Equal(
            ["project/duraflow.yaml", "project/io_config.yaml", "project/pipelines/hello/blocks/a.csx", "project/pipelines/hello/pipeline.yaml"],
            _entries.Keys.Where(n => n.StartsWith("project/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_entries.Keys, n => n.Contains("secrets.local.yaml", StringComparison.Ordinal) || n.Contains(".duraflow/", StringComparison.Ordinal));

        // Framework-dependent (Flex Consumption has .NET 10), natives for linux-x64 only, and English only.
        Assert.DoesNotContain("libcoreclr.so", _entries.Keys);
        Assert.Contains(_entries.Keys, n => n.EndsWith("libduckdb.so", StringComparison.Ordinal));
        Assert.DoesNotContain(_entries.Keys, n => n.EndsWith(".dll", StringComparison.Ordinal) && n.Contains("win-", StringComparison.Ordinal));
        Assert.DoesNotContain(_entries.Keys, n => n.EndsWith(".resources.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void HostJson_DurableTaskSection_NamesTheAzureStorageProviderOnAzureWebJobsStorage()
    {
        // The keys of the Durable Functions host.json reference; the extension reads them into DurableTaskOptions and
        // AzureStorageOptions (connectionName supersedes the obsolete connectionStringName).
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var durableTask = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var provider = durableTask.GetProperty("storageProvider");

        Assert.Equal($"%{FunctionNames.TaskHubSetting}%", durableTask.GetProperty("hubName").GetString());
        Assert.Equal("AzureStorage", provider.GetProperty("type").GetString());
        Assert.Equal("AzureWebJobsStorage", provider.GetProperty("connectionName").GetString());
        Assert.False(provider.TryGetProperty("connectionStringName", out _));
        Assert.InRange(durableTask.GetProperty("maxConcurrentActivityFunctions").GetInt32(), 1, 64);
        Assert.InRange(durableTask.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32(), 1, 64);

        // Extended sessions stay off (the default): the Durable docs we could check support them in the in-process model only.
        Assert.False(durableTask.TryGetProperty("extendedSessionsEnabled", out _));
        Assert.Equal(
            ["hubName", "maxConcurrentActivityFunctions", "maxConcurrentOrchestratorFunctions", "storageProvider"],
            durableTask.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Package_ProjectWithClassBlocks_FailsNamingTheFile()
    {
        _work.Write("project/blocks/MyBlocks.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");

        var (exitCode, log) = await PublishAsync(_work.PathOf("project"), _work.PathOf("out/app.zip"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"DuraflowProject has class blocks ({_work.PathOf("project/blocks/MyBlocks.csproj")}), which cannot be packaged yet", log, StringComparison.Ordinal);
        Assert.False(File.Exists(_work.PathOf("out/app.zip")));
    }

    private async Task<(int ExitCode, string Log)> PublishAsync(string project, string zip)
    {
        var functions = Path.Combine(RepositoryPaths.Root, "src", "Functions", "Functions.csproj");
        var start = new ProcessStartInfo("dotnet", [
            "publish", functions, "-c", "Release", "-o", _work.PathOf("publish"), "--nologo", "-v", "q",
            $"-p:DuraflowProject={project}", $"-p:DuraflowPackage={zip}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publish.WaitForExitAsync(limit.Token);
        return (publish.ExitCode, await output + "\n" + await errors);
    }

    private int Mode(string entry) => (_entries[entry].ExternalAttributes >> 16) & 0b111_111_111;

    private string Read(string entry)
    {
        using var reader = new StreamReader(_entries[entry].Open());
        return reader.ReadToEnd();
    }

    private static List<string> BindingTypes(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToList();

    private static JsonElement Trigger(JsonElement function, string type) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == type && b.GetProperty("direction").GetString() == "In");
}
