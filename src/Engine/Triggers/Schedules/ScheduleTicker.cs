using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Checks every schedule of a project and starts the runs that are due: what the Azure timer function does each
/// minute, and what <see cref="ScheduleLoop"/> does locally. Safe to run in several processes at once.
/// </summary>
/// <remarks>
/// <para>For each schedule: read its mark, evaluate (<see cref="ScheduleEvaluator"/>), start each due run with the
/// id and idempotency key derived from the pipeline and the tick (<see cref="ScheduledRuns"/>), and only then move
/// the mark. A process that dies between the starts and the mark leaves the mark behind, and the next check starts
/// the same ids again, which the idempotency key turns into no-ops. Two checks at once both start the same runs
/// (one run each) and race on the mark, whose version check keeps the later mark.</para>
/// <para>Invalid pipelines, and pipelines that need a parameter without a default, are reported and left alone:
/// their marks stay where they were, so once fixed they catch up as after an outage.</para>
/// </remarks>
internal sealed class ScheduleTicker
{
    private const int MaxMarkAttempts = 5;
    private readonly RunStarter _starter;
    private readonly IScheduleMarks _marks;
    private readonly ISchedulePauses? _pauses;
    private readonly Func<ProjectValidation> _project;
    private readonly string _defaultTimeZone;
    private readonly ScheduleOptions _options;
    private readonly BackfillDriver? _backfills;

    /// <summary>Creates a ticker.</summary>
    /// <param name="starter">Starts the runs.</param>
    /// <param name="marks">Keeps each schedule's mark; the store the runs are in, so marks and runs are shared by the same processes.</param>
    /// <param name="project">Validates the project; called once per check, so edited definitions apply at the next check.</param>
    /// <param name="defaultTimeZone">
    /// The IANA time zone of schedules that name none (duraflow.yaml's <c>timezone</c>) when the validation does not
    /// carry one (<see cref="ProjectValidation.TimeZone"/>, which follows edits of duraflow.yaml).
    /// </param>
    /// <param name="options">Grace and caps; default <see cref="ScheduleOptions.Default"/>.</param>
    /// <param name="pauses">Which pipelines' schedules are paused; null when none can be (a test's marks alone).</param>
    /// <param name="backfills">Moves the running backfills on at each check; null for none.</param>
    public ScheduleTicker(
        RunStarter starter, IScheduleMarks marks, Func<ProjectValidation> project, string defaultTimeZone, ScheduleOptions? options = null, ISchedulePauses? pauses = null,
        BackfillDriver? backfills = null)
    {
        ArgumentNullException.ThrowIfNull(starter);
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(defaultTimeZone);
        options ??= ScheduleOptions.Default;
        options.Validate();
        _starter = starter;
        _marks = marks;
        _pauses = pauses;
        _backfills = backfills;
        _project = project;
        _defaultTimeZone = defaultTimeZone;
        _options = options;
    }

    /// <summary>A ticker keeping marks in the run store <paramref name="store"/> (the SQLite and Azure stores both keep them).</summary>
    /// <exception cref="ArgumentException">The store keeps no schedule marks.</exception>
    /// <remarks>Each check also moves the store's running backfills on (<see cref="BackfillDriver"/>).</remarks>
    public static ScheduleTicker ForStore(
        RunStarter starter, IRunStore store, Func<ProjectValidation> project, string defaultTimeZone, ScheduleOptions? options = null, TimeProvider? time = null)
    {
        var (marks, pauses) = ScheduleStores.Of(store);
        var backfills = new BackfillDriver(starter, store, project, defaultTimeZone, time ?? TimeProvider.System);
        return new ScheduleTicker(starter, marks, project, defaultTimeZone, options, pauses, backfills);
    }

    /// <summary>Checks every schedule as of <paramref name="now"/> and starts the runs that are due.</summary>
    /// <remarks>A failure of one pipeline (its store calls included) is reported in the result and does not stop the others; cancellation does.</remarks>
    public async Task<ScheduleTickReport> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var started = new List<ScheduledStart>();
        var skipped = new List<SkippedTicks>();
        var problems = new List<ScheduleProblem>();
        var paused = new List<string>();
        var validation = _project();

        // Read once per check: a pause written during the check applies from the next one. Unread, no schedule is
        // checked (one might be paused); their marks stay, so the next check catches up as after an outage.
        HashSet<string> pauses;
        try
        {
            pauses = _pauses is null
                ? []
                : (await _pauses.ListSchedulePausesAsync(cancellationToken).ConfigureAwait(false)).Select(p => p.Pipeline).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            problems.Add(new ScheduleProblem("*", $"paused schedules could not be read, so no schedule was checked: {e.Message}"));
            return new ScheduleTickReport(now, started, skipped, problems, paused);
        }

        var defaultTimeZone = validation.TimeZone ?? _defaultTimeZone;
        var names = validation.Pipelines.Where(p => p.Definition is not null).GroupBy(p => p.Definition!.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var pipeline in validation.Pipelines)
        {
            var definition = pipeline.Definition;
            var schedules = definition?.Triggers.OfType<ScheduleTrigger>().ToList() ?? [];
            if (definition is null)
            {
                problems.Add(new ScheduleProblem(pipeline.DisplayPath, $"{FirstError(pipeline)}; its schedules, if any, are not checked"));
                continue;
            }

            if (schedules.Count == 0)
            {
                continue;
            }

            if (pauses.Contains(definition.Name))
            {
                // Its marks stay put: on resume, the ticks missed meanwhile go as the schedule's catch_up says.
                paused.Add(definition.Name);
                continue;
            }

            if (!pipeline.IsValid)
            {
                problems.Add(new ScheduleProblem(definition.Name, $"{pipeline.DisplayPath} is not valid ({FirstError(pipeline)}); its schedules wait until it is fixed"));
                continue;
            }

            if (names[definition.Name] > 1)
            {
                problems.Add(new ScheduleProblem(definition.Name, $"{pipeline.DisplayPath}: another pipeline has the name '{definition.Name}'; its schedules wait until names are unique"));
                continue;
            }

            try
            {
                await TickPipelineAsync(pipeline, definition, schedules, defaultTimeZone, now, started, skipped, problems, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add(new ScheduleProblem(definition.Name, $"schedules not checked: {e.Message}"));
            }
        }

        // Backfills go on whether or not their pipeline's schedules are paused: each was asked for by someone.
        if (_backfills is not null)
        {
            try
            {
                problems.AddRange(await _backfills.StepRunningAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add(new ScheduleProblem("*", $"backfills not moved on: {e.Message}"));
            }
        }

        return new ScheduleTickReport(now, started, skipped, problems, paused);
    }

    private async Task TickPipelineAsync(
        ValidatedPipeline pipeline, PipelineDefinition definition, List<ScheduleTrigger> schedules, string defaultTimeZone, DateTimeOffset now,
        List<ScheduledStart> started, List<SkippedTicks> skipped, List<ScheduleProblem> problems, CancellationToken cancellationToken)
    {
        var resolution = RunParameters.Defaults(definition);
        if (resolution.Parameters is not { } parameters)
        {
            problems.Add(new ScheduleProblem(definition.Name, $"a scheduled run gets only parameter defaults: {string.Join("; ", resolution.Problems.Select(p => p.ForCommandLine()))}"));
            return;
        }

        // Two triggers with the same cron (or interval) and zone are one schedule; its ticks would start the same runs anyway.
        foreach (var trigger in schedules.DistinctBy(s => ScheduledRuns.ScheduleKey(s.Text, s.TimeZone ?? defaultTimeZone)))
        {
            var zone = trigger.TimeZone ?? defaultTimeZone;
            var key = ScheduledRuns.ScheduleKey(trigger.Text, zone);
            var mark = await _marks.GetScheduleMarkAsync(definition.Name, key, cancellationToken).ConfigureAwait(false);
            var evaluation = ScheduleEvaluator.Evaluate(trigger, defaultTimeZone, mark?.HandledThrough, now, _options);
            foreach (var tick in evaluation.Due)
            {
                var run = await _starter.StartAsync(
                    new RunRequest(pipeline, parameters, new RunTrigger(RunTrigger.Schedule, TriggerValues(trigger, zone, tick)) { StartBy = tick + trigger.StartSla })
                    {
                        RunId = ScheduledRuns.RunId(definition.Name, tick),
                        IdempotencyKey = ScheduledRuns.IdempotencyKey(definition.Name, tick),
                    },
                    cancellationToken).ConfigureAwait(false);
                started.Add(new ScheduledStart(definition.Name, key, tick, run.RunId));
            }

            if (evaluation.SkippedFirst is { } first && evaluation.SkippedLast is { } last)
            {
                skipped.Add(new SkippedTicks(definition.Name, key, first, last));
            }

            await AdvanceAsync(definition.Name, key, mark, evaluation, cancellationToken).ConfigureAwait(false);
        }
    }

    // Moves the mark forward, never back: when another check wrote first, its mark stands if it is as far or farther.
    private async Task AdvanceAsync(string pipeline, string key, ScheduleMark? mark, ScheduleEvaluation evaluation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxMarkAttempts; attempt++)
        {
            if (mark is not null && mark.HandledThrough >= evaluation.HandledThrough)
            {
                return;
            }

            if (await _marks.TrySetScheduleMarkAsync(pipeline, key, evaluation.HandledThrough, evaluation.Next, mark?.Version, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            mark = await _marks.GetScheduleMarkAsync(pipeline, key, cancellationToken).ConfigureAwait(false);
        }

        // Only reachable when other checks keep writing marks behind ours; the next check evaluates again from theirs.
        throw new InvalidOperationException($"the mark of schedule '{key}' kept changing under this check");
    }

    /// <summary>What a scheduled run's <c>trigger.*</c> holds: the tick, the zone, and the cron or the interval and its anchor.</summary>
    public static Dictionary<string, JsonElement> TriggerValues(ScheduleTrigger trigger, string zone, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["scheduled_time"] = JsonSerializer.SerializeToElement(tick.ToUniversalTime()),
            ["timezone"] = JsonSerializer.SerializeToElement(zone),
        };
        if (trigger.Interval is { } interval)
        {
            values["every"] = JsonSerializer.SerializeToElement(Blocks.Text.Duration.Format(interval.Every));
            values["anchor"] = JsonSerializer.SerializeToElement(interval.Anchor);
        }
        else
        {
            values["cron"] = JsonSerializer.SerializeToElement(trigger.Cron);
        }

        return values;
    }

    private static string FirstError(ValidatedPipeline pipeline) =>
        pipeline.Diagnostics.FirstOrDefault(d => d.IsError) is { } error ? error.ToString() : "it could not be read";
}
