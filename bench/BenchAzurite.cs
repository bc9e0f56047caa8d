using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Duraflow.Bench;

/// <summary>
/// The Azurite of <c>bench all</c>'s Azure rows, a child process of the harness: started right before those rows and
/// stopped right after them, so no other row runs beside it. Its data is on disk, in a folder of its own under
/// .ci-services/azurite/ that is deleted when it stops: in memory, Azurite kept a core busy long after its last
/// request and stalled for 23 to 39 s after some minutes of load. It listens on three free ports rather than
/// 10000-10002, so it never meets the tests' Azurite or another checkout's, and the rows reach it through the
/// connection string the harness hands them (<see cref="Connection"/>, as DURAFLOW_BENCH_AZURE). The program is the
/// one scripts/services.sh installs (<c>scripts/services.sh install azurite</c>, run here when it is missing).
/// </summary>
internal sealed class BenchAzurite : IAsyncDisposable
{
    // The emulator's well-known development account; its key is published with Azurite and opens nothing else.
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DirectoryInfo _location;
    private readonly EventHandler _onExit;

    private BenchAzurite(Process process, DirectoryInfo location, string connection)
    {
        _process = process;
        _location = location;
        Connection = connection;

        // An interrupted run (Ctrl+C) still stops its Azurite; one that is killed leaves it, and the folder says whose.
        _onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>The connection string of this Azurite's development account.</summary>
    public string Connection { get; }

    /// <summary>Starts Azurite and returns once its blob, queue and table services answer.</summary>
    /// <exception cref="InvalidOperationException">It could not be installed or did not start; the message says why.</exception>
    public static async Task<BenchAzurite> StartAsync()
    {
        var root = RepositoryRoot();
        var program = Path.Combine(root, ".ci-services", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(program))
        {
            await InstallAsync(root);
        }

        var ports = FreePorts();
        var location = Directory.CreateDirectory(Path.Combine(root, ".ci-services", "azurite", $"bench-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        // --skipApiVersionCheck: the Azure SDKs send a newer API version than Azurite 3.35 knows (as in services.sh).
        foreach (var arg in new[] { "--silent", "--location", location.FullName, "--skipApiVersionCheck", "--loose", "--disableTelemetry" }
            .Concat(Endpoint("blob", ports[0])).Concat(Endpoint("queue", ports[1])).Concat(Endpoint("table", ports[2])))
        {
            start.ArgumentList.Add(arg);
        }

        var output = new ConcurrentQueue<string>();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Win32Exception e)
        {
            location.Delete(recursive: true);
            throw new InvalidOperationException($"{program} did not start: {e.Message}", e);
        }

        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                output.Enqueue(text);
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new BenchAzurite(process, location, string.Join(';',
            "DefaultEndpointsProtocol=http", "AccountName=devstoreaccount1", "AccountKey=" + DevelopmentKey,
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1",
            $"QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1",
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1"));
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < StartBudget)
        {
            if (await AnswersAsync(ports) && await AzuriteProbe.ReachableAsync(azurite.Connection) is null)
            {
                return azurite;
            }

            await Task.Delay(100);
        }

        await azurite.DisposeAsync();
        throw new InvalidOperationException(OutcomeText.Invariant(
            $"Azurite ({program}) did not answer within {StartBudget.TotalSeconds:0} s: {string.Join(" / ", output.TakeLast(3).DefaultIfEmpty("no output"))}"));
    }

    /// <summary>Stops Azurite, waits for it to exit, and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _location.Delete(recursive: true);
    }

    private void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private static string[] Endpoint(string service, int port) => [$"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static async Task InstallAsync(string root)
    {
        var install = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var arg in new[] { Path.Combine(root, "scripts", "services.sh"), "install", "azurite" })
        {
            install.ArgumentList.Add(arg);
        }

        await Console.Error.WriteLineAsync("installing Azurite: scripts/services.sh install azurite");
        Process? started;
        try
        {
            started = Process.Start(install);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("bash did not start, so Azurite cannot be installed: " + e.Message, e);
        }

        using var process = started ?? throw new InvalidOperationException("bash did not start, so Azurite cannot be installed");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/services.sh install azurite failed (exit code {process.ExitCode}): {(await stderr).Trim()}");
        }
    }

    /// <summary>Three distinct ports nobody listens on: held together while they are chosen, then let go for Azurite.</summary>
    private static int[] FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private static async Task<bool> AnswersAsync(int[] ports)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The checkout the harness was built in: the nearest folder above its binaries (or the working directory) with scripts/services.sh.</summary>
    private static string RepositoryRoot()
    {
        foreach (var from in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = new DirectoryInfo(from); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "scripts", "services.sh")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("scripts/services.sh was not found above the harness's binaries or the working directory, so Azurite cannot be installed");
    }
}
