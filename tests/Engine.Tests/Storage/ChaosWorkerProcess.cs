using System.Diagnostics;
using System.Text;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>One ChaosWorker process on an Azure store; killed with SIGKILL, as a crash or an evicted instance would be.</summary>
internal sealed class ChaosWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<DateTimeOffset> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChaosWorkerProcess(string prefix, string scratch, string connection)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Duraflow.ChaosWorker.dll"));
        start.ArgumentList.Add(prefix);
        start.ArgumentList.Add(scratch);
        start.Environment["DURAFLOW_TEST_AZURITE"] = connection;
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start ChaosWorker");
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                _ready.TrySetResult(DateTimeOffset.UtcNow);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>When the worker said it opened the store and starts working; never completes for a worker that dies first.</summary>
    public Task<DateTimeOffset> Ready => _ready.Task;

    /// <summary>What the process wrote to stderr: a worker that crashed on its own says why here.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString().Trim();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no cleanup, no lease given back, no outbox sent.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
