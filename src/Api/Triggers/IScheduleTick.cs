namespace Duraflow.Api.Triggers;

/// <summary>
/// What the <c>schedule</c> timer function calls once a minute: evaluate every pipeline's schedule at the
/// given time and start the runs that are due (idempotently: a tick handled twice starts each run once).
/// </summary>
internal interface IScheduleTick
{
    /// <summary>Handles one tick. <paramref name="isPastDue"/> is the host's flag for a tick that came late (after downtime).</summary>
    Task TickAsync(DateTimeOffset now, bool isPastDue, CancellationToken cancellationToken);
}
