using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Api;

/// <summary>
/// The app's backfill driver, made once the engine is open: the API creates, steps and cancels backfills through it,
/// and the backfill pump moves them on in <c>duraflow serve</c>. New runs go to the project's runtime.
/// </summary>
internal sealed class SharedBackfills(SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BackfillDriver? _driver;

    public async Task<BackfillDriver> DriverAsync(CancellationToken cancellationToken)
    {
        if (_driver is { } driver)
        {
            return driver;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var local = await sharedEngine.GetAsync(cancellationToken);
            var starter = await (await sharedEngine.RouterAsync(cancellationToken)).StarterAsync(cancellationToken);
            return _driver ??= new BackfillDriver(starter, local.Store, catalog.Validate, project.Open().Settings.TimeZone, local.Committer.Time, CancelRunAsync);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Cancels run <paramref name="runId"/> on the runtime it started on, as a cancelled backfill does to its runs.</summary>
    public async Task CancelRunAsync(string runId, CancellationToken cancellationToken)
    {
        var runtime = await (await sharedEngine.RouterAsync(cancellationToken)).RuntimeOfAsync(runId, cancellationToken);
        await runtime.CancelAsync(runId, "its backfill was cancelled through the HTTP API", cancellationToken);
    }

    public void Dispose() => _gate.Dispose();
}
