using Duraflow.Engine.Triggers.Schedules;

namespace Duraflow.Api.Triggers;

/// <summary>
/// The schedule function and the local scheduler: each tick evaluates every pipeline's schedules against the store's
/// marks. The Functions timer fires every minute in UTC; the pipelines' own crons and time zones decide what is due,
/// so the host's <c>IsPastDue</c> adds nothing: missed ticks are the marks' business.
/// </summary>
internal sealed partial class EngineScheduleTick(SharedEngine sharedEngine, PipelineCatalog catalog, AppProject project, ILogger<EngineScheduleTick> logger) : IScheduleTick, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ScheduleTicker? _ticker;

    public async Task TickAsync(DateTimeOffset now, bool isPastDue, CancellationToken cancellationToken) =>
        Log(await (await TickerAsync(cancellationToken)).TickAsync(now, cancellationToken));

    /// <summary>
    /// Logs what one check did, whoever ran it (the Functions timer or the local loop): each run started, each
    /// problem, the ticks a catch-up policy dropped, and otherwise that nothing was due, so a quiet schedule is seen
    /// to be checked.
    /// </summary>
    public void Log(ScheduleTickReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var started in report.Started)
        {
            LogStarted(logger, started.Pipeline, started.RunId, started.ScheduledTime);
        }

        foreach (var skipped in report.Skipped)
        {
            LogSkipped(logger, skipped.Pipeline, skipped.Schedule, skipped.First, skipped.Last);
        }

        foreach (var problem in report.Problems)
        {
            LogProblem(logger, problem.Pipeline, problem.Message);
        }

        if (report.Paused.Count > 0)
        {
            LogPaused(logger, string.Join(", ", report.Paused));
        }

        if (report.Started.Count == 0 && report.Problems.Count == 0 && report.Skipped.Count == 0 && report.Paused.Count == 0)
        {
            LogNothingDue(logger, report.At);
        }
    }

    /// <summary>The ticker, made once the engine is open (the engine opens on first use, not at start-up).</summary>
    public async Task<ScheduleTicker> TickerAsync(CancellationToken cancellationToken)
    {
        if (_ticker is { } ticker)
        {
            return ticker;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var local = await sharedEngine.GetAsync(cancellationToken);
            var starter = await (await sharedEngine.RouterAsync(cancellationToken)).StarterAsync(cancellationToken);
            return _ticker ??= ScheduleTicker.ForStore(starter, local.Store, catalog.Validate, project.Open().Settings.TimeZone, time: local.Committer.Time);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(5101, LogLevel.Information, "Schedule started {Pipeline} run {RunId} for {ScheduledTime:O}")]
    private static partial void LogStarted(ILogger logger, string pipeline, string runId, DateTimeOffset scheduledTime);

    [LoggerMessage(5102, LogLevel.Warning, "Schedule of {Pipeline} not evaluated: {Message}")]
    private static partial void LogProblem(ILogger logger, string pipeline, string message);

    [LoggerMessage(5103, LogLevel.Information, "Schedules checked at {At:O}: no run due")]
    private static partial void LogNothingDue(ILogger logger, DateTimeOffset at);

    [LoggerMessage(5104, LogLevel.Warning, "Schedule {Schedule} of {Pipeline} dropped missed ticks {First:O} to {Last:O} (its catch-up policy)")]
    private static partial void LogSkipped(ILogger logger, string pipeline, string schedule, DateTimeOffset first, DateTimeOffset last);

    [LoggerMessage(5105, LogLevel.Information, "Schedules paused, not checked: {Pipelines}")]
    private static partial void LogPaused(ILogger logger, string pipelines);
}
