using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Functions.Tests;

/// <summary>
/// What a deployment zip holds: <c>dotnet publish</c> of src/Functions with <c>DuraflowPackage</c> must zip host.json
/// and one folder per function at the root, next to the handler executable that host.json names, stored executable
/// (docs/triggers.md, "The deploy package"), and the project under project/ without its local state or secrets.
/// </summary>
public sealed class HandlerPublishTests : IDisposable
{
    // Octal 0755 and 0644 for regular files, as zip's external attributes carry them (the high 16 bits).
    private const int Executable = 0b111_101_101;
    private const int Readable = 0b110_100_100;

    private readonly TempFolder _work = new();
    private Dictionary<string, ZipArchiveEntry> _entries = [];

    public HandlerPublishTests()
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
    public async Task Package_ZipsHostJsonEveryFunctionFolderTheExecutableHandlerAndTheProject()
    {
        var zipPath = _work.PathOf("out/app.zip");
        _work.Write("out/app.zip", "a stale zip, replaced");
        var (exitCode, log) = await PublishAsync(_work.PathOf("project"), zipPath);
        Assert.True(exitCode == 0, $"dotnet publish failed:\n{log}");

        using var zip = ZipFile.OpenRead(zipPath);
        _entries = zip.Entries.ToDictionary(e => e.FullName);

        using var host = JsonDocument.Parse(Read("host.json"));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        Assert.True(_entries.ContainsKey(executable), $"host.json starts '{executable}', which the zip lacks at its root");
        Assert.Equal(Executable, Mode(executable));
        Assert.Equal(Readable, Mode("host.json"));
        Assert.All(_entries.Keys.Where(n => n != executable && n != "createdump"), n => Assert.Equal(Readable, Mode(n)));

        var functions = _entries.Keys.Where(n => n.EndsWith("/function.json", StringComparison.Ordinal) && n.Count(c => c == '/') == 1)
            .Select(n => n[..n.IndexOf('/', StringComparison.Ordinal)]).Order().ToList();
        Assert.Equal(["api", "blobevents", "blocks", "orchestration", "schedule"], functions);
        Assert.Equal(["httpTrigger", "http"], Types("api"));
        Assert.Equal(["queueTrigger"], Types("orchestration"));
        Assert.Equal(["queueTrigger"], Types("blocks"));
        Assert.Equal(["timerTrigger"], Types("schedule"));
        Assert.Equal(["queueTrigger"], Types("blobevents"));
        Assert.Equal("%DURAFLOW_QUEUE_PREFIX%-orchestration", Trigger("orchestration").GetProperty("queueName").GetString());
        Assert.Equal("%DURAFLOW_QUEUE_PREFIX%-blocks", Trigger("blocks").GetProperty("queueName").GetString());
        Assert.Equal("%DURAFLOW_BLOB_EVENTS_QUEUE%", Trigger("blobevents").GetProperty("queueName").GetString());
        Assert.Equal("0 */1 * * * *", Trigger("schedule").GetProperty("schedule").GetString());
        Assert.False(Trigger("schedule").GetProperty("runOnStartup").GetBoolean());
        Assert.Equal("function", Trigger("api").GetProperty("authLevel").GetString());
        Assert.Equal("{*path}", Trigger("api").GetProperty("route").GetString());
        foreach (var queueFunction in new[] { "orchestration", "blocks", "blobevents" })
        {
            // The handler reads Data.message; the binding's name is that key.
            Assert.Equal("message", Trigger(queueFunction).GetProperty("name").GetString());
            Assert.Equal("AzureWebJobsStorage", Trigger(queueFunction).GetProperty("connection").GetString());
        }

        Assert.Equal("timer", Trigger("schedule").GetProperty("name").GetString());

        Assert.Equal(
            ["project/duraflow.yaml", "project/io_config.yaml", "project/pipelines/hello/blocks/a.csx", "project/pipelines/hello/pipeline.yaml"],
            _entries.Keys.Where(n => n.StartsWith("project/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_entries.Keys, n => n.Contains("secrets.local.yaml", StringComparison.Ordinal) || n.Contains(".duraflow", StringComparison.Ordinal));

        // Self-contained linux-x64 (the runtime is in the zip), and English only: no de/, fr/ resource folders.
        Assert.Contains("libcoreclr.so", _entries.Keys);
        Assert.DoesNotContain(_entries.Keys, n => n.EndsWith(".resources.dll", StringComparison.Ordinal));
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

    private List<string> Types(string function) => [.. Bindings(function).Select(b => b.GetProperty("type").GetString()!)];

    private JsonElement Trigger(string function) => Bindings(function).Single(b => b.GetProperty("direction").GetString() == "in");

    private List<JsonElement> Bindings(string function)
    {
        using var document = JsonDocument.Parse(Read($"{function}/function.json"));
        return [.. document.RootElement.GetProperty("bindings").EnumerateArray().Select(b => b.Clone())];
    }
}
