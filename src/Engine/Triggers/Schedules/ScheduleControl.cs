using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Lists a project's schedules with their marks and pauses, and pauses and resumes a pipeline's schedules: what
/// <c>duraflow schedules</c> and the schedule endpoints of the API both do. The pause is kept in the run store, where
/// <see cref="ScheduleTicker"/> reads it at every check.
/// </summary>
internal sealed class ScheduleControl
{
    /// <summary>The longest reason a pause keeps.</summary>
    public const int MaxReasonLength = 500;

    private const int UpcomingTicks = 5;
    private const int MaxNameLength = 200;
    private readonly IScheduleMarks _marks;
    private readonly ISchedulePauses _pauses;
    private readonly ProjectValidation _project;
    private readonly string _defaultTimeZone;

    /// <summary>Controls the schedules of the pipelines in <paramref name="project"/>, kept in <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentException">The store keeps no schedule marks or pauses.</exception>
    public ScheduleControl(IRunStore store, ProjectValidation project, string defaultTimeZone)
    {
        ArgumentNullException.ThrowIfNull(project);
        (_marks, _pauses) = ScheduleStores.Of(store);
        _project = project;
        _defaultTimeZone = project.TimeZone ?? defaultTimeZone;
    }

    /// <summary>Every pipeline with schedules, by name, with each schedule's mark and next ticks after <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<PipelineSchedules>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pauses = (await _pauses.ListSchedulePausesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Pipeline, StringComparer.Ordinal);
        var listed = new List<PipelineSchedules>();
        foreach (var (name, triggers) in Scheduled())
        {
            var views = new List<ScheduleView>();
            foreach (var trigger in triggers)
            {
                var zone = trigger.TimeZone ?? _defaultTimeZone;
                var mark = await _marks.GetScheduleMarkAsync(name, ScheduledRuns.ScheduleKey(trigger.Text, zone), cancellationToken).ConfigureAwait(false);
                views.Add(new ScheduleView(trigger, zone, trigger.CatchUp, mark?.HandledThrough, Upcoming(trigger, now)));
            }

            listed.Add(new PipelineSchedules(name, views, pauses.GetValueOrDefault(name)));
        }

        return listed;
    }

    /// <summary>
    /// Pauses <paramref name="pipeline"/>'s schedules; paused already, it stays paused as it was (the pause returned
    /// is the stored one, and <c>Added</c> is false).
    /// </summary>
    /// <exception cref="ScheduleControlException">The pipeline is unknown or has no schedules, or the reason is too long.</exception>
    public async Task<(SchedulePause Pause, bool Added)> PauseAsync(string pipeline, string by, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(by);
        CheckScheduled(pipeline);
        if (reason is { Length: > MaxReasonLength })
        {
            throw new ScheduleControlException($"the reason is {reason.Length} characters; give at most {MaxReasonLength}", notFound: false, field: "reason");
        }

        // Shown in terminals and pages: a line break or an escape sequence in it would rewrite what an operator sees.
        if (reason is not null && reason.Any(char.IsControl))
        {
            throw new ScheduleControlException("the reason has a control character (a line break, tab or escape); give one line of plain text", notFound: false, field: "reason");
        }

        var given = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        return await _pauses.PauseSchedulesAsync(new SchedulePause(pipeline, default, by, given), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resumes <paramref name="pipeline"/>'s schedules: the pause removed, or null when it was not paused. A paused
    /// pipeline that is no longer in the project can still be resumed, which only removes its pause.
    /// </summary>
    /// <exception cref="ScheduleControlException">The pipeline is neither paused nor a pipeline with schedules.</exception>
    public async Task<SchedulePause?> ResumeAsync(string pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);

        // A name no pipeline could have is refused before the store sees it (a table key has a size limit).
        if (pipeline.Length > MaxNameLength || pipeline.Any(char.IsControl))
        {
            CheckScheduled(pipeline);
        }

        if (await _pauses.ResumeSchedulesAsync(pipeline, cancellationToken).ConfigureAwait(false) is { } removed)
        {
            return removed;
        }

        CheckScheduled(pipeline);
        return null;
    }

    // Pipelines whose definitions could be read, each with its distinct schedules; an invalid one can still be paused.
    private IEnumerable<(string Name, List<ScheduleTrigger> Triggers)> Scheduled() =>
        _project.Pipelines
            .Where(p => p.Definition is not null)
            .Select(p => (p.Definition!.Name, Triggers: p.Definition.Triggers.OfType<ScheduleTrigger>()
                .DistinctBy(s => ScheduledRuns.ScheduleKey(s.Text, s.TimeZone ?? _defaultTimeZone)).ToList()))
            .Where(p => p.Triggers.Count > 0)
            .DistinctBy(p => p.Name, StringComparer.Ordinal)
            .OrderBy(p => p.Name, StringComparer.Ordinal);

    private void CheckScheduled(string pipeline)
    {
        var scheduled = Scheduled().Select(p => p.Name).ToList();
        if (scheduled.Contains(pipeline, StringComparer.Ordinal))
        {
            return;
        }

        var others = scheduled.Count == 0 ? "no pipeline of the project has a schedule" : $"pipelines with schedules: {string.Join(", ", scheduled)}";
        var exists = _project.Pipelines.Any(p => p.Definition?.Name == pipeline);
        throw exists
            ? new ScheduleControlException($"pipeline '{pipeline}' has no schedule trigger; {others}", notFound: false, field: "pipeline")
            : new ScheduleControlException($"the project has no pipeline '{pipeline}'; {EditDistance.DidYouMean(pipeline, scheduled)}{others}", notFound: true, field: "pipeline");
    }

    private IReadOnlyList<DateTimeOffset> Upcoming(ScheduleTrigger trigger, DateTimeOffset now)
    {
        try
        {
            return ScheduleEvaluator.Upcoming(trigger, _defaultTimeZone, now, UpcomingTicks);
        }
        catch (ArgumentException)
        {
            // A cron or zone validation refuses: the pipeline's errors say so; it has no next ticks meanwhile.
            return [];
        }
    }
}
