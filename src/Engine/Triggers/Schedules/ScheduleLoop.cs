namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Local mode's stand-in for the Azure timer function: checks schedules once at start (which records first sight
/// and catches up after downtime) and then at every interval boundary until stopped.
/// </summary>
internal static class ScheduleLoop
{
    /// <summary>Runs checks until <paramref name="stopping"/> is cancelled, then returns.</summary>
    /// <param name="ticker">What each check runs.</param>
    /// <param name="time">The clock that both times the checks and is their <c>now</c>.</param>
    /// <param name="stopping">Ends the loop; a check in progress is cancelled.</param>
    /// <param name="interval">
    /// The time between checks, aligned to multiples of it since the Unix epoch (default: a minute, so checks fall
    /// on minute boundaries as the Functions timer's do). Keep it below <see cref="ScheduleOptions.Grace"/>.
    /// </param>
    /// <param name="checkedSchedules">Called with each check's report, for logging.</param>
    /// <param name="failed">Called when a check throws; the loop goes on with the next check.</param>
    public static async Task RunAsync(
        ScheduleTicker ticker, TimeProvider time, CancellationToken stopping, TimeSpan? interval = null,
        Action<ScheduleTickReport>? checkedSchedules = null, Action<Exception>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(ticker);
        ArgumentNullException.ThrowIfNull(time);
        var step = interval ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero, nameof(interval));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Not `checkedSchedules?.Invoke(await ...)`: a null-conditional call skips its arguments, and the
                // check with them, when nobody listens.
                var report = await ticker.TickAsync(time.GetUtcNow(), stopping).ConfigureAwait(false);
                checkedSchedules?.Invoke(report);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any one failed check (a store briefly unreachable); the caller logs it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed?.Invoke(e);
            }

            var now = time.GetUtcNow();
            try
            {
                await Task.Delay(NextBoundary(now, step) - now, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The first multiple of <paramref name="step"/> since the Unix epoch strictly after <paramref name="now"/>.</summary>
    internal static DateTimeOffset NextBoundary(DateTimeOffset now, TimeSpan step)
    {
        var sinceEpoch = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks((sinceEpoch / step.Ticks + 1) * step.Ticks);
    }
}
