using System.Globalization;
using System.Text.Json;
using Duraflow.Blocks.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.Schedules;

/// <summary>
/// Creates backfills and moves them on: each step looks at the runs it has going, and starts the next ticks' runs
/// while fewer than its concurrency are going. Safe in several processes at once (the CLI that made it, <c>duraflow
/// serve</c>, the Functions timer): two steps start the same run ids, which the idempotency keys make one run each,
/// and the backfill's version keeps one step's record.
/// </summary>
/// <param name="starter">Starts the runs, on the runtime new runs go to.</param>
/// <param name="store">The run store, where backfills are kept.</param>
/// <param name="project">Validates the project, as its files are now.</param>
/// <param name="defaultTimeZone">The zone of schedules that name none, when the validation carries none.</param>
/// <param name="time">The clock.</param>
/// <param name="cancelRun">Cancels a run on the runtime it started on, for a step that finds its backfill cancelled meanwhile; null where none can.</param>
internal sealed class BackfillDriver(
    RunStarter starter, IRunStore store, Func<ProjectValidation> project, string defaultTimeZone, TimeProvider time, Func<string, CancellationToken, Task>? cancelRun = null)
{
    /// <summary>The most ticks one backfill covers; a longer range is split into several.</summary>
    public const int MaxTicks = 10_000;

    /// <summary>The most runs one step starts, so that a backfill without a bound does not start thousands in one go.</summary>
    public const int MaxStartsPerStep = 100;

    /// <summary>Checks <paramref name="request"/>, stores the backfill and takes its first step.</summary>
    /// <exception cref="BackfillException">The request names what to fix.</exception>
    public async Task<Backfill> CreateAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pipeline = Pipeline(request.Pipeline);
        var definition = pipeline.Definition!;
        var schedules = definition.Triggers.OfType<ScheduleTrigger>().ToList();
        var (number, trigger) = PickSchedule(definition.Name, schedules, request.Schedule);
        var zone = trigger.TimeZone ?? project().TimeZone ?? defaultTimeZone;
        var from = Moment(request.From, "from", zone);
        var to = Moment(request.To, "to", zone);
        if (to <= from)
        {
            throw new BackfillException("to", $"'to' ({request.To}) must be after 'from' ({request.From}); the range is [from, to)");
        }

        // Ticks to come are the scheduler's: started now, under its run ids, they would run early and not on time.
        if (to > time.GetUtcNow())
        {
            throw new BackfillException("to", $"'to' ({request.To}) is in the future; a backfill covers past ticks only (the scheduler starts the ones to come), so end it at now or before");
        }

        var concurrency = Concurrency(request.Concurrency, definition.Concurrency);
        var resolution = RunParameters.Resolve(definition, request.Parameters);
        if (resolution.Parameters is not { } resolved)
        {
            throw new BackfillException("parameters", string.Join("; ", resolution.Problems.Select(p => p.ForCommandLine())));
        }

        var now = time.GetUtcNow();
        var backfill = new Backfill
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{definition.Name}-bf-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}"),
            Pipeline = definition.Name,
            Schedule = number,
            Cron = trigger.Cron,
            Every = trigger.Interval?.Every,
            Anchor = trigger.Interval?.Anchor,
            TimeZone = zone,
            From = from,
            To = to,
            Parameters = request.Parameters.Keys.ToDictionary(name => name, name => resolved.Values[name], StringComparer.Ordinal),
            SecretParameters = [.. definition.Parameters.Where(p => p.Secret && request.Parameters.ContainsKey(p.Name)).Select(p => p.Name)],
            Concurrency = concurrency,
            CreatedAt = now,
            CreatedBy = request.By,
            Total = 0,
        };
        var total = BackfillRuns.Ticks(backfill).Take(MaxTicks + 1).Count();
        if (total == 0)
        {
            throw new BackfillException("from", $"schedule {number} of {definition.Name} ({trigger.Text}, {zone}) has no tick in [{request.From}, {request.To}); nothing to backfill");
        }

        if (total > MaxTicks)
        {
            throw new BackfillException("to", $"[{request.From}, {request.To}) holds more than {MaxTicks:N0} ticks of schedule {number} ({trigger.Text}); split it into shorter backfills");
        }

        backfill = backfill with { Total = total };
        await store.AddBackfillAsync(backfill, cancellationToken).ConfigureAwait(false);
        return await StepAsync(backfill.Id, cancellationToken).ConfigureAwait(false) ?? backfill;
    }

    /// <summary>Moves every running backfill on; returns the problems of those that could not move (an invalid pipeline).</summary>
    public async Task<IReadOnlyList<ScheduleProblem>> StepRunningAsync(CancellationToken cancellationToken)
    {
        var problems = new List<ScheduleProblem>();
        foreach (var stored in await store.ListBackfillsAsync(null, runningOnly: true, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await StepAsync(stored.Backfill.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One backfill that cannot move (an invalid pipeline, a store error) does not hold up the others.
                problems.Add(new ScheduleProblem(stored.Backfill.Pipeline, $"backfill {stored.Backfill.Id}: {e.Message}"));
            }
        }

        return problems;
    }

    /// <summary>
    /// One step of backfill <paramref name="id"/>: counts the runs that ended, starts the next ones up to its
    /// concurrency, and ends it when every run has ended. Returns it as it stands after the step; null when unknown.
    /// </summary>
    /// <exception cref="BackfillException">Its pipeline is gone or invalid now; it is left as it is.</exception>
    public async Task<Backfill?> StepAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.GetBackfillAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        var backfill = stored.Backfill;
        if (backfill.Status != BackfillStatus.Running)
        {
            return backfill;
        }

        var ticks = BackfillRuns.Ticks(backfill).Take(backfill.Total).ToList();
        var (done, going, tallies) = await LookAsync(backfill, ticks, cancellationToken).ConfigureAwait(false);
        backfill = backfill with
        {
            Done = done,
            Succeeded = backfill.Succeeded + tallies.Succeeded,
            Failed = backfill.Failed + tallies.Failed,
            CancelledRuns = backfill.CancelledRuns + tallies.Cancelled,
        };

        var room = Math.Min(MaxStartsPerStep, (backfill.Concurrency ?? int.MaxValue) - going);
        if (room > 0 && backfill.Started < backfill.Total)
        {
            var pipeline = Pipeline(backfill.Pipeline);
            var parameters = Parameters(pipeline, backfill);
            var existing = 0;
            var upTo = Math.Min(backfill.Total, backfill.Started + room);
            for (var i = backfill.Started; i < upTo; i++)
            {
                var run = await starter.StartAsync(Request(pipeline, parameters, backfill, ticks[i]), cancellationToken).ConfigureAwait(false);
                existing += run.Created ? 0 : 1;
            }

            backfill = backfill with { Started = upTo, Existing = backfill.Existing + existing };
        }

        if (backfill.Done == backfill.Total)
        {
            backfill = backfill with { Status = BackfillStatus.Finished, EndedAt = time.GetUtcNow() };
        }

        // Another step that wrote first started the same runs (one each, by their keys) and counted the same ends. A
        // cancel that wrote first did not see the runs this step started: they are cancelled here.
        if (await store.TryUpdateBackfillAsync(backfill, stored.Version, cancellationToken).ConfigureAwait(false))
        {
            return backfill;
        }

        var now = (await store.GetBackfillAsync(id, cancellationToken).ConfigureAwait(false))?.Backfill;
        if (now is { Status: BackfillStatus.Cancelled } && cancelRun is not null)
        {
            await CancelOwnRunsAsync(now with { Started = backfill.Started }, cancelRun, cancellationToken).ConfigureAwait(false);
        }

        return now;
    }

    /// <summary>
    /// Cancels backfill <paramref name="id"/>: it starts no more runs, and <paramref name="cancelRun"/> cancels each of
    /// its runs still going. Returns it as it stands, or null when unknown.
    /// </summary>
    public async Task<(Backfill? Backfill, bool Changed)> CancelAsync(string id, Func<string, CancellationToken, Task> cancelRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cancelRun);
        while (await store.GetBackfillAsync(id, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            var backfill = stored.Backfill;
            if (backfill.Status != BackfillStatus.Running)
            {
                return (backfill, false);
            }

            var cancelled = backfill with { Status = BackfillStatus.Cancelled, EndedAt = time.GetUtcNow() };
            if (!await store.TryUpdateBackfillAsync(cancelled, stored.Version, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await CancelOwnRunsAsync(backfill, cancelRun, cancellationToken).ConfigureAwait(false);
            return (cancelled, true);
        }

        return (null, false);
    }

    // Cancels the backfill's runs still going; a run of one of its ticks that the scheduler (or another backfill)
    // started is not its to cancel.
    private async Task CancelOwnRunsAsync(Backfill backfill, Func<string, CancellationToken, Task> cancelRun, CancellationToken cancellationToken)
    {
        foreach (var tick in BackfillRuns.Ticks(backfill).Skip(backfill.Done).Take(backfill.Started - backfill.Done))
        {
            var runId = BackfillRuns.RunId(backfill, tick);
            if (await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is { State: var state } && !state.Status.IsTerminal()
                && state.TriggerValues.TryGetValue("backfill_id", out var owner) && owner.ValueKind == JsonValueKind.String && owner.GetString() == backfill.Id)
            {
                await cancelRun(runId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The runs from the oldest not known to have ended up to the last one started: how many ended in a row from the
    // oldest (counted once, as Done passes them), and how many are going. A run that is gone (purged) counts as ended.
    private async Task<(int Done, int Going, (int Succeeded, int Failed, int Cancelled) Tallies)> LookAsync(
        Backfill backfill, List<DateTimeOffset> ticks, CancellationToken cancellationToken)
    {
        var done = backfill.Done;
        var going = 0;
        var tallies = (Succeeded: 0, Failed: 0, Cancelled: 0);
        var inOrder = true;
        for (var i = backfill.Done; i < backfill.Started; i++)
        {
            var status = (await store.GetRunAsync(BackfillRuns.RunId(backfill, ticks[i]), cancellationToken).ConfigureAwait(false))?.State.Status;
            var ended = status is null || status.Value.IsTerminal();
            going += ended ? 0 : 1;
            inOrder &= ended;
            if (inOrder)
            {
                done++;
                tallies = status switch
                {
                    RunStatus.Succeeded => tallies with { Succeeded = tallies.Succeeded + 1 },
                    RunStatus.Failed => tallies with { Failed = tallies.Failed + 1 },
                    _ => tallies with { Cancelled = tallies.Cancelled + 1 },
                };
            }
        }

        return (done, going, tallies);
    }

    private static RunRequest Request(ValidatedPipeline pipeline, ResolvedParameters parameters, Backfill backfill, DateTimeOffset tick)
    {
        var values = ScheduleTicker.TriggerValues(BackfillRuns.Trigger(backfill), backfill.TimeZone, tick);
        values["backfill_id"] = JsonSerializer.SerializeToElement(backfill.Id);
        return new RunRequest(pipeline, parameters, new RunTrigger(RunTrigger.Backfill, values))
        {
            RunId = BackfillRuns.RunId(backfill, tick),
            IdempotencyKey = BackfillRuns.IdempotencyKey(backfill, tick),
        };
    }

    private ValidatedPipeline Pipeline(string name)
    {
        var pipelines = project().Pipelines;
        var pipeline = pipelines.FirstOrDefault(p => p.Definition?.Name == name)
            ?? throw new BackfillException("pipeline", $"the project has no pipeline '{name}'; {EditDistance.DidYouMean(name, [.. pipelines.Select(p => p.Definition?.Name).OfType<string>()])}", notFound: true);
        return pipeline.IsValid
            ? pipeline
            : throw new BackfillException("pipeline", $"pipeline '{name}' is not valid now ({pipeline.Diagnostics.First(d => d.IsError)}); fix it and its backfills go on");
    }

    private static ResolvedParameters Parameters(ValidatedPipeline pipeline, Backfill backfill)
    {
        var given = backfill.Parameters.ToDictionary(p => p.Key, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal);
        return RunParameters.Resolve(pipeline.Definition!, given).Parameters
            ?? throw new BackfillException("parameters", $"pipeline '{backfill.Pipeline}' no longer takes the backfill's parameters as they were given; cancel it and start another");
    }

    private static (int Number, ScheduleTrigger Trigger) PickSchedule(string pipeline, List<ScheduleTrigger> schedules, int? asked)
    {
        if (schedules.Count == 0)
        {
            throw new BackfillException("pipeline", $"pipeline '{pipeline}' has no schedule trigger; a backfill runs a schedule's ticks over a past range");
        }

        var listed = string.Join("; ", schedules.Select((s, i) => $"{i + 1}: {s.Text}"));
        if (asked is null && schedules.Count > 1)
        {
            throw new BackfillException("schedule", $"pipeline '{pipeline}' has {schedules.Count} schedules; pick one by number ({listed})");
        }

        var number = asked ?? 1;
        return number >= 1 && number <= schedules.Count
            ? (number, schedules[number - 1])
            : throw new BackfillException("schedule", $"pipeline '{pipeline}' has no schedule {number}; its schedules are {listed}");
    }

    private static DateTimeOffset Moment(string text, string field, string zone)
    {
        if (!Definitions.Schedules.TryParseAnchor(text ?? "", out _, out _))
        {
            throw new BackfillException(field, $"'{field}' '{text}' is not a date and time; write 2026-11-01, 2026-11-01T06:00 (in the schedule's time zone, {zone}) or with an offset, 2026-11-01T06:00:00+01:00");
        }

        return Definitions.Schedules.AnchorInstant(text!, TimeZoneInfo.FindSystemTimeZoneById(zone));
    }

    private static int? Concurrency(int? asked, int? pipeline)
    {
        if (asked is { } given && (given < 1 || given > 1000))
        {
            throw new BackfillException("concurrency", $"'concurrency' {given} is not a number of runs from 1 to 1000");
        }

        if (asked > pipeline)
        {
            throw new BackfillException("concurrency", $"'concurrency' {asked} is more than the pipeline's concurrency ({pipeline}); a backfill can only lower it");
        }

        return asked ?? pipeline;
    }
}
