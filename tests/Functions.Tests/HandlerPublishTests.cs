using System.Diagnostics;
using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Functions.Tests;

/// <summary>
/// What a deployment zip holds: <c>dotnet publish</c> of src/Functions must put host.json and one folder per function
/// at the root, next to the handler executable that host.json names (azure-contracts.md, implication 14).
/// </summary>
public sealed class HandlerPublishTests : IDisposable
{
    private readonly TempFolder _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task Publish_PutsHostJsonAndEveryFunctionFolderAtTheRootWithTheHandler()
    {
        var project = Path.Combine(RepositoryPaths.Root, "src", "Functions", "Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", _output.Root, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publish.WaitForExitAsync(limit.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await output}\n{await errors}");

        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(_output.PathOf("host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        Assert.True(File.Exists(_output.PathOf(executable)), $"host.json starts '{executable}', which the publish output lacks");

        var functions = Directory.GetDirectories(_output.Root).Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order().ToList();
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
    }

    private List<string> Types(string function) => [.. Bindings(function).Select(b => b.GetProperty("type").GetString()!)];

    private JsonElement Trigger(string function) => Bindings(function).Single(b => b.GetProperty("direction").GetString() == "in");

    private List<JsonElement> Bindings(string function)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(_output.PathOf(Path.Combine(function, "function.json"))));
        return [.. document.RootElement.GetProperty("bindings").EnumerateArray().Select(b => b.Clone())];
    }
}
