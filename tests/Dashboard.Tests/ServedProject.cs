using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Duraflow.Cli.Tests;
using Duraflow.Tests;

namespace Duraflow.Dashboard.Tests;

/// <summary>
/// A test project served by a real <c>duraflow serve</c> on a free port, with an API key: what a user opens in a
/// browser. The project has a pipeline with parameters and a table output, a scheduled one, and one that waits.
/// </summary>
internal sealed class ServedProject : IAsyncDisposable
{
    public const string Key = "dashboard-test-key-7c41";
    private readonly TempFolder _folder = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];
    private Process? _server;

    /// <summary>What the server has written so far, for a failing test's message.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Completes when the server writes a line containing <paramref name="text"/> from now on.</summary>
    public Task WhenLoggedAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_awaited)
        {
            _awaited.Add((text, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    private void Written(string? line)
    {
        _log.Enqueue(line ?? "");
        lock (_awaited)
        {
            foreach (var (text, seen) in _awaited.Where(a => line?.Contains(a.Text, StringComparison.Ordinal) == true).ToList())
            {
                seen.TrySetResult();
                _awaited.Remove((text, seen));
            }
        }
    }

    public string Url { get; private set; } = "";

    public string Root => _folder.Root;

    /// <summary>Serves the project with the API key and, when given, more settings (environment variables) and another duraflow.yaml.</summary>
    public static async Task<ServedProject> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string duraflowYaml = "timezone: Europe/Berlin\n")
    {
        var project = new ServedProject();
        project.Write(duraflowYaml);
        await project.ServeAsync(settings ?? new Dictionary<string, string>());
        return project;
    }

    private void Write(string duraflowYaml)
    {
        _folder.Write("duraflow.yaml", duraflowYaml);
        _folder.Write("data/orders.csv", "id,customer,amount\n" + string.Join("\n", Enumerable.Range(1, 120).Select(i => $"{i},c{i % 5},{i * 2.5}")) + "\n");
        _folder.Write("pipelines/hello/pipeline.yaml", """
            name: hello
            description: Doubles a number and reads the orders.
            parameters:
              n: { type: int, default: 2 }
              greeting: { type: string, default: hi, allowed: [hi, hello] }
            blocks:
              - { name: double_it, uses: "script:blocks/double_it.csx" }
              - { name: orders, uses: csv.read, with: { path: data/orders.csv }, upstream: [double_it] }
            """);
        _folder.Write("pipelines/hello/blocks/double_it.csx", "Log.LogInformation(\"doubling {N}\", Param<long>(\"n\"));\nreturn Param<long>(\"n\") * 2;\n");
        _folder.Write("pipelines/nightly/pipeline.yaml", """
            name: nightly
            triggers:
              - schedule: { cron: "0 2 * * *", catch_up: latest }
            blocks:
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);
        _folder.Write("pipelines/slow/pipeline.yaml", """
            name: slow
            blocks:
              - { name: approve, uses: wait.approval, with: { name: ship } }
            """);
    }

    private async Task ServeAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = CliRunner.StartInfo(_folder.Root, ["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        start.Environment["Duraflow__ApiKey"] = Key;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, line) => Written(line.Data);
        _server.ErrorDataReceived += (_, line) => Written(line.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var client = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await client.GetAsync(new Uri($"{Url}/api/health"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(_server.HasExited, $"duraflow serve exited with {(_server.HasExited ? _server.ExitCode : 0)}");
            await Task.Delay(200);
        }

        throw new TimeoutException($"duraflow serve did not answer at {Url} within a minute");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        _folder.Dispose();
    }
}
