namespace Duraflow.Engine.Storage;

/// <summary>
/// Which pipelines have their schedules paused (<see cref="SchedulePause"/>), kept in the run store beside the
/// schedules' marks, so every process that checks schedules sees the same pauses.
/// </summary>
internal interface ISchedulePauses
{
    /// <summary>Every paused pipeline, by name.</summary>
    Task<IReadOnlyList<SchedulePause>> ListSchedulePausesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pauses <see cref="SchedulePause.Pipeline"/>'s schedules (its <see cref="SchedulePause.Since"/> is the store's
    /// clock). A pipeline paused already stays paused as it was: the pause returned is the one stored, the earlier one
    /// then, and <c>Added</c> is false.
    /// </summary>
    Task<(SchedulePause Pause, bool Added)> PauseSchedulesAsync(SchedulePause pause, CancellationToken cancellationToken);

    /// <summary>Resumes <paramref name="pipeline"/>'s schedules: the pause removed, or null when it was not paused.</summary>
    Task<SchedulePause?> ResumeSchedulesAsync(string pipeline, CancellationToken cancellationToken);
}
