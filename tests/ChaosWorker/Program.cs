using Duraflow.ChaosWorker;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Workers;

// Usage: ChaosWorker PREFIX SCRATCH_FOLDER, with DURAFLOW_TEST_AZURITE holding the storage connection string.
// Runs a worker host on the store until killed (which is the point) or until stdin closes.
if (args.Length != 2 || Environment.GetEnvironmentVariable("DURAFLOW_TEST_AZURITE") is not { Length: > 0 } connection)
{
    await Console.Error.WriteLineAsync("usage: ChaosWorker PREFIX SCRATCH_FOLDER, with DURAFLOW_TEST_AZURITE set");
    return 2;
}

// Short leases and sweeps, so that the work of a killed process comes back within seconds.
var store = await AzureStore.OpenAsync(
    AzureStorageAccount.FromConnectionString(connection, "DURAFLOW_TEST_AZURITE"),
    new AzureStoreOptions { Prefix = args[0], SweepAfter = TimeSpan.FromSeconds(2), SweepInterval = TimeSpan.FromSeconds(1), SingletonLease = TimeSpan.FromSeconds(15) });
var committer = new RunCommitter(store, store, store.CreateArtifactStore(args[1]), new EngineOptions
{
    Parallelism = 4,
    Lease = TimeSpan.FromSeconds(4),
    IdlePoll = TimeSpan.FromMilliseconds(200),
    WorkerId = $"chaos-{Environment.ProcessId}",

    // A killed worker's messages count a delivery each; kills faster than workers start would otherwise trip the
    // poison bound (5), which is for code that crashes its worker every time, not for a test that shoots workers.
    MaxDeliveries = 30,
});
using var stopping = new CancellationTokenSource();
_ = Task.Run(async () =>
{
    // The test closes stdin to stop a worker gently; a kill needs no cooperation.
    await Console.In.ReadToEndAsync().ConfigureAwait(false);
    await stopping.CancelAsync().ConfigureAwait(false);
});
await Console.Out.WriteLineAsync("ready");
var host = new WorkerHost(committer, new BlockAttemptRunner(committer, new ChaosBlocks()));
host.WorkFailed += (_, failure) => Console.Error.WriteLine($"{failure.Work?.Key}: {failure.Error}");
await host.RunAsync(stopping.Token);
return 0;
