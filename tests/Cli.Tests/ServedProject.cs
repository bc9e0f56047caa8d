using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>duraflow serve --no-auth</c> on a free port, started as a user starts it and ready once the server says it
/// listens; disposing it ends the server.
/// </summary>
internal sealed class ServedProject : IAsyncDisposable
{
    private readonly Process _serve;
    private readonly Channel<string> _later = Channel.CreateUnbounded<string>();
    private readonly Task _rest;

    private ServedProject(Process serve, int port, IReadOnlyList<string> seen)
    {
        _serve = serve;

        // Lines after the one waited for are kept for NextLineAsync; reading them also keeps a chatty server from
        // blocking on a full pipe.
        _rest = Task.Run(async () =>
        {
            while (await serve.StandardOutput.ReadLineAsync() is { } line)
            {
                _later.Writer.TryWrite(line);
            }

            _later.Writer.TryComplete();
        });
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
        Seen = seen;
    }

    /// <summary>A client of the server, with its address as the base.</summary>
    public HttpClient Client { get; }

    /// <summary>What the server wrote to standard output up to the line saying that it listens.</summary>
    public IReadOnlyList<string> Seen { get; }

    public static async Task<ServedProject> StartAsync(string projectRoot, params string[] options)
    {
        var port = FreePort();
        var start = CliRunner.StartInfo(projectRoot, ["serve", "--no-auth", "--port", port.ToString(CultureInfo.InvariantCulture), .. options]);
        var serve = Process.Start(start)!;
        serve.ErrorDataReceived += (_, _) => { };
        serve.BeginErrorReadLine();
        try
        {
            // Wait for the server's own word that it listens, not for a guessed time.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var seen = new List<string>();
            while (await serve.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                seen.Add(line);
                if (line.Contains($"Now listening on: http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal))
                {
                    return new ServedProject(serve, port, seen);
                }
            }

            throw new InvalidOperationException($"duraflow serve ended without listening:\n{string.Join('\n', seen)}");
        }
        catch
        {
            serve.Kill(entireProcessTree: true);
            serve.Dispose();
            throw;
        }
    }

    /// <summary>The next line the server writes that <paramref name="match"/> accepts; lines before it are passed over.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        await foreach (var line in _later.Reader.ReadAllAsync(cancellationToken))
        {
            if (match(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException("duraflow serve ended before writing the line waited for");
    }

    /// <summary>A port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _serve.Kill(entireProcessTree: true);
        await _serve.WaitForExitAsync();
        await _rest;
        _serve.Dispose();
    }
}
