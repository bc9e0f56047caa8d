using Duraflow.Durable.Local;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>
/// The <c>durable</c> runtime: the real Durable Task worker over the in-process sidecar on the Azure Storage provider
/// (Azurite), with a task hub of the test's own; the project's SQLite store is the run index, as on the other runtime.
/// </summary>
internal sealed class DurableRuntimeUnderTest : RuntimeUnderTest
{
    private readonly CancellationTokenSource _stop = new();
    private LocalDurableHost? _host;
    private Task _workers = Task.CompletedTask;
    private DurableRuntime? _runtime;
    private RunStarter? _starter;

    private DurableRuntimeUnderTest(TempFolder project)
        : base(project)
    {
    }

    public string HubName { get; } = "t" + Guid.NewGuid().ToString("N")[..20];

    public override IRunRuntime Runtime => _runtime!;

    public DurableRuntime Durable => _runtime!;

    public LocalDurableHost Host => _host!;

    protected override RunStarter Starter => _starter!;

    public static async Task<DurableRuntimeUnderTest> StartAsync(TempFolder project)
    {
        var under = new DurableRuntimeUnderTest(project);
        // As duraflow's own host does, the project's workers.parallelism bounds the activities run at once.
        var options = new LocalDurableOptions
        {
            Account = AzureStorageAccount.FromConnectionString(Services.Azurite, "Azurite"),
            HubName = under.HubName,
            Parallelism = Duraflow.Engine.Projects.DuraflowProject.Open(project.Root).Settings.Parallelism,
        };
        under._host = await LocalDurableHost.StartAsync(options, new RunActivities(under.Engine.Committer, under.Engine.Attempts), CancellationToken.None);
        under._runtime = new DurableRuntime(under.Engine.Committer, under._host.Client);
        under.Engine.Committer.Children.Durable = _ => Task.FromResult<IRunRuntime>(under._runtime);
        under._starter = new RunStarter(under._runtime);

        // As duraflow serve does beside its Durable host: the engine's workers, of which only the alert loop has work
        // here (durable runs commit their changes, and so their alerts, to the same store).
        under._workers = under.Engine.Workers.RunAsync(under._stop.Token);
        return under;
    }

    public override async Task<RunState> WaitAsync(string runId, Func<RunState, bool>? until = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        return await PollAsync(runId, until ?? (s => s.Status.IsTerminal()), limit.Token);
    }

    public override async Task WaitUntilRefusedASlotAsync(string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await Host.Client.GetInstanceAsync(runId, getInputsAndOutputs: true, limit.Token))?.SerializedCustomStatus?.Contains("waiting for a concurrency slot", StringComparison.Ordinal) != true)
        {
            await Task.Delay(50, limit.Token);
        }
    }

    /// <summary>The orchestration's history as the Azure Storage provider keeps it: one table row per event, payloads inline.</summary>
    public async Task<string> HistoryTextAsync(string instanceId)
    {
        var table = new Azure.Data.Tables.TableClient(Services.Azurite, HubName + "History");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == instanceId))
        {
            rows.Add(System.Text.Json.JsonSerializer.Serialize(row));
        }

        return string.Join("\n", rows);
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _workers;
        _stop.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
