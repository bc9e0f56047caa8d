using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Durable.Local;

/// <summary>
/// A project's runs on the <c>durable</c> runtime in this process: its engine (the run store, blocks, connections),
/// the in-process Durable host on the project's task hub, and the runtime that starts, cancels and retries runs
/// through it. What <c>duraflow run --runtime durable</c> and <c>duraflow worker --runtime durable</c> run on.
/// </summary>
internal sealed class LocalDurableRuntime : IAsyncDisposable
{
    private readonly DuraflowEngine _engine;

    private LocalDurableRuntime(DuraflowEngine engine, LocalDurableHost host, string hub, AzureStorageAccount account)
    {
        _engine = engine;
        Host = host;
        Runtime = new DurableRuntime(engine.Committer, host.Client);
        engine.Committer.Children.Durable = _ => Task.FromResult<Engine.Runtime.IRunRuntime>(Runtime);
        Description = $"durable task hub '{hub}' in the storage account of {account.Setting}";
    }

    /// <summary>The Durable host.</summary>
    public LocalDurableHost Host { get; }

    /// <summary>Starts, cancels and retries the project's durable runs.</summary>
    public DurableRuntime Runtime { get; }

    /// <summary>Where the orchestrations live, for people.</summary>
    public string Description { get; }

    /// <summary>
    /// Starts the Durable host for <paramref name="engine"/>'s project: the task hub is in the account of
    /// <c>store.connection</c> (default <c>AzureWebJobsStorage</c>; Azurite when that is not set), named after the
    /// project's store so that no two stores share orchestrations.
    /// </summary>
    /// <exception cref="DurableHostException">The account cannot be reached, or its setting cannot work.</exception>
    public static async Task<LocalDurableRuntime> StartAsync(DuraflowEngine engine, DuraflowProject project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(project);
        var account = HubAccount(project.Settings.StoreConnection);
        var hub = DurableNames.HubFor(engine.StoreDescription + "|" + project.Root);
        var options = new LocalDurableOptions { Account = account, HubName = hub, Parallelism = project.Settings.Parallelism };
        var host = await LocalDurableHost.StartAsync(options, new RunActivities(engine.Committer, engine.Attempts), cancellationToken).ConfigureAwait(false);
        return new LocalDurableRuntime(engine, host, hub, account);
    }

    // The account a setting names; the development account (Azurite) when the default setting is not set at all, as
    // the Functions tools assume locally.
    private static AzureStorageAccount HubAccount(string setting)
    {
        try
        {
            return AzureStorageAccount.FromEnvironment(setting);
        }
        catch (InvalidOperationException) when (setting == ProjectSettings.Default.StoreConnection && Environment.GetEnvironmentVariable(setting) is null)
        {
            return AzureStorageAccount.FromConnectionString("UseDevelopmentStorage=true", $"{setting} (not set: the local emulator, Azurite)");
        }
        catch (InvalidOperationException e)
        {
            throw new DurableHostException($"the durable runtime keeps its task hub in the storage account of {setting}, but {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
