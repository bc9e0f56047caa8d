using System.CommandLine;
using System.Globalization;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Api;
using Duraflow.Api.Http;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow runs list|show|logs|cancel|retry|signal|purge</c>: inspects and steers the runs in the project's store.</summary>
internal static class RunsCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("runs", "List, inspect, cancel, retry, signal and purge runs");
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Show(terminal, project, profile, store));
        command.Subcommands.Add(Logs(terminal, project, profile, store));
        command.Subcommands.Add(Cancel(terminal, project, profile, store));
        command.Subcommands.Add(Retry(terminal, project, profile, store));
        command.Subcommands.Add(RunsSignalCommand.Create(terminal, project, profile, store));
        command.Subcommands.Add(RunsPurgeCommand.Create(terminal, project, profile, store));
        return command;
    }

    internal static Argument<string> RunId() => new("ID") { Description = "The run's id, as `duraflow runs list` shows it" };

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = new Option<string?>("--pipeline") { Description = "Only runs of this pipeline" };
        var status = new Option<string?>("--status")
        {
            Description = $"Only runs with this status: {RunListStatus.Choices} (waiting: running runs with a block waiting for a signal, approval, timer, child run or limit; running lists them too)",
        };
        var limit = new Option<int>("--limit") { Description = "At most this many runs, newest first", DefaultValueFactory = _ => 20 };
        var from = new Option<string?>("--from") { Description = $"Only runs requested at or after this time: {RunListStatus.TimeRule}" };
        var to = new Option<string?>("--to") { Description = "Only runs requested before this time (the same forms as --from)" };
        var json = new Option<bool>("--json") { Description = "Print { \"items\": [...] } as GET /api/runs does, without its paging cursor" };
        var command = new Command("list", "List recent runs, newest first") { pipeline, status, limit, from, to, json };
        command.SetAction((result, _) => WithEngineAsync(project, profile, store, result, async local =>
        {
            RunStatus? wanted = null;
            var waitingOnly = false;
            if (result.GetValue(status) is { } text)
            {
                wanted = RunListStatus.TryParse(text, out var parsed, out waitingOnly)
                    ? parsed
                    : throw new UsageException($"--status '{text}' is not a run status; use {RunListStatus.Choices}");
            }

            var count = result.GetValue(limit);
            if (count < 1)
            {
                // Clamping 0 or -1 to one run answered a question nobody asked.
                throw new UsageException($"--limit {count.ToString(CultureInfo.InvariantCulture)} lists no runs; give 1 or more (default 20)");
            }

            var requestedFrom = Time(result.GetValue(from), "--from");
            var requestedBefore = Time(result.GetValue(to), "--to");
            if (requestedFrom >= requestedBefore)
            {
                throw new UsageException("--to must be later than --from (--to is exclusive)");
            }

            var runs = await local.Store.ListRunsAsync(
                new RunQuery(result.GetValue(pipeline), wanted, count, WaitingOnly: waitingOnly, RequestedFrom: requestedFrom, RequestedBefore: requestedBefore),
                CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(new { Items = runs.Select(r => RunJson.Summary(r, ServedWorkspace.Default.ApiBase)) }) + Environment.NewLine);
                return ExitCodes.Ok;
            }

            var now = local.Committer.Time.GetUtcNow();
            terminal.Rows(
                ["run", "pipeline", "status", "trigger", "requested", "duration"],
                [.. runs.Select(r => (IReadOnlyList<string>)
                [
                    r.RunId, r.Pipeline, RunListStatus.Label(r.Status, r.Waiting), r.Trigger,
                    LocalTimes.Of(r.RequestedAt),
                    Durations.Between(r.StartedAt, r.EndedAt, now),
                ])]);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
        : RunListStatus.TryParseTime(text, out var time) ? time
        : throw new UsageException($"{option} '{text}' is not a time; give {RunListStatus.TimeRule}");

    private static Command Show(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = RunId();
        var json = new Option<bool>("--json") { Description = "Print the run as JSON, as GET /api/runs/{id} returns it" };
        var command = new Command("show", "Show a run and each of its blocks") { id, json };
        command.SetAction((result, _) => WithEngineAsync(project, profile, store, result, async local =>
        {
            var runId = result.GetValue(id)!;
            var state = await StateAsync(local, runId).ConfigureAwait(false);
            var plan = await local.Committer.PlanAsync(state.DefinitionHash, CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(await RunJson.DetailAsync(local.Committer, state, ServedWorkspace.Default.ApiBase, CancellationToken.None).ConfigureAwait(false)) + Environment.NewLine);
                return ExitCodes.Ok;
            }

            var now = local.Committer.Time.GetUtcNow();
            terminal.Line($"run {state.RunId}: pipeline {state.Pipeline}, {state.Status.ToSnakeCase()}, trigger {state.Trigger}, definition {state.DefinitionHash[..12]}, runtime {state.Runtime ?? RuntimeNames.Of(RuntimeKind.Duraflow)}");
            if (state.Error is { } error)
            {
                terminal.Line(error);
            }

            var order = plan.Blocks.SelectMany(b => Enumerable.Range(0, state.Blocks[b.Name].Items is { } n && b.MappedOver is not null ? n : 0)
                .Select(i => InstanceKeys.Of(b.Name, i)).Prepend(b.Name)).ToList();
            terminal.Rows(RunView.Headers, RunView.Rows(state, order, now));
            foreach (var line in RunView.Family(state).Concat(RunView.Signals(state)))
            {
                terminal.Line(line);
            }

            foreach (var letter in await local.Store.GetDeadLettersAsync(runId, CancellationToken.None).ConfigureAwait(false))
            {
                terminal.Line($"dead-lettered: {letter.Key} after {letter.Deliveries} deliveries: {letter.Reason}");
            }

            if (state.SlasMissed.Count > 0)
            {
                terminal.Line($"SLA missed: {string.Join(", ", state.SlasMissed)}");
            }

            foreach (var alert in await local.Store.ListAlertsAsync(runId, CancellationToken.None).ConfigureAwait(false))
            {
                terminal.Line(RunView.Alert(alert));
            }

            // Only a run that can be retried is compared: the look validates the files and may build blocks/.
            if (state.Status is RunStatus.Failed or RunStatus.Cancelled
                && PinnedDefinitionCheck.Describe(state, plan, result.GetValue(project), result.GetValue(profile)) is { } changed)
            {
                terminal.Line(changed);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Logs(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = RunId();
        var block = new Option<string?>("--block") { Description = "Only this block's lines (its fan-out items included)" };
        var level = new Option<string>("--level")
        {
            Description = $"Lines at this level and above: {string.Join(", ", LogLineFilter.Levels)}; debug adds a failure's full stack trace",
            DefaultValueFactory = _ => LogLineFilter.DefaultLevel,
        };
        level.AcceptOnlyFromAmong([.. LogLineFilter.Levels]);
        var command = new Command("logs", "Print the log lines the run's blocks wrote, in the order they were written") { id, block, level };
        command.SetAction((result, _) => WithEngineAsync(project, profile, store, result, async local =>
        {
            var runId = result.GetValue(id)!;
            var state = await StateAsync(local, runId).ConfigureAwait(false);
            var only = result.GetValue(block);
            if (only is not null && !state.Blocks.ContainsKey(only))
            {
                throw new UsageException($"run {runId} has no block '{only}'; its blocks are {string.Join(", ", state.Blocks.Keys.Where(k => !k.EndsWith(']')))}");
            }

            var lines = await local.Store.GetLogsAsync(runId, only, CancellationToken.None).ConfigureAwait(false);
            foreach (var line in LogLineFilter.Select(lines, result.GetValue(level)!))
            {
                terminal.Line($"{line.At.ToLocalTime():HH:mm:ss.fff} {line.Block}#{line.Attempt} {line.Level}: {line.Message}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Cancel(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = RunId();
        var command = new Command("cancel", "Cancel a run: waiting blocks are cancelled, running blocks are asked to stop") { id };
        command.SetAction((result, _) => WithHostAsync(project, profile, store, result, async local =>
        {
            var runId = result.GetValue(id)!;
            var runtime = await local.Router.RuntimeOfAsync(runId, CancellationToken.None).ConfigureAwait(false);
            var change = await runtime.CancelAsync(runId, "duraflow runs cancel", CancellationToken.None).ConfigureAwait(false);
            if (!change.Accepted)
            {
                terminal.Error($"run {runId} cannot be cancelled: {change.Rejection}");
                return ExitCodes.Failed;
            }

            await CliAudit.RecordAsync(local.Engine.Store, "run.cancel", $"run:{runId}").ConfigureAwait(false);
            terminal.Line($"run {runId} is {change.Status.ToSnakeCase()}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Retry(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = RunId();
        var json = new Option<bool>("--json") { Description = "Print the finished run as JSON (as runs show --json) instead of the progress view" };
        var refresh = new Option<bool>("--refresh")
        {
            Description = "Run on the pipeline's files as they are now: blocks whose definition or file changed, and those below them, run again too",
        };
        var command = new Command("retry", "Run a failed or cancelled run again from its failed blocks, reusing what succeeded") { id, json, refresh };
        command.SetAction((result, _) => WithHostAsync(project, profile, store, result, async local =>
        {
            var runId = result.GetValue(id)!;
            var signal = new RetryFailedBlocks();
            if (result.GetValue(refresh))
            {
                // The files are validated as for a new run; a pipeline that does not validate now is not retried on.
                var pipeline = (await StateAsync(local.Engine, runId).ConfigureAwait(false)).Pipeline;
                var file = ProjectResolver.PipelineFile(pipeline, result.GetValue(project));
                var check = PipelineCheck.Run(terminal, file, ProjectResolver.ProjectOf(file, result.GetValue(project), result.GetValue(store)), result.GetValue(profile), result.GetValue(json));
                if (check.Pipeline is not { } refreshed)
                {
                    return ExitCodes.Usage;
                }

                signal = new RetryFailedBlocks(refreshed);
            }

            var runtime = await local.Router.RuntimeOfAsync(runId, CancellationToken.None).ConfigureAwait(false);
            var change = await runtime.SignalAsync(runId, signal, CancellationToken.None).ConfigureAwait(false);
            if (!change.Accepted)
            {
                terminal.Error($"run {runId} cannot be retried: {change.Rejection}");
                return ExitCodes.Failed;
            }

            await CliAudit.RecordAsync(local.Engine.Store, "run.retry", $"run:{runId}", new { Refresh = result.GetValue(refresh) }).ConfigureAwait(false);

            return await RunSession.FollowAsync(terminal, local, runId, result.GetValue(json), result.GetValue(store)).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<RunState> StateAsync(DuraflowEngine local, string runId) =>
        (await local.Store.GetRunAsync(runId, CancellationToken.None).ConfigureAwait(false))?.State
            ?? throw new UsageException(new RunNotFoundException(runId).Message);

    // Runs the action with the engine and, for a durable run, the Durable host: cancels, retries and signals go to the run's runtime.
    internal static async Task<int> WithHostAsync(
        Option<string?> project, Option<string?> profile, Option<string?> store, ParseResult result, Func<RunHost, Task<int>> action)
    {
        var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
        await using var local = await RunHost.OpenAsync(resolved, RuntimeNames.Of(RuntimeKind.Duraflow), p => DuraflowEngine.OpenAsync(p, profile: result.GetValue(profile))).ConfigureAwait(false);
        try
        {
            return await action(local).ConfigureAwait(false);
        }
        catch (RunNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static async Task<int> WithEngineAsync(
        Option<string?> project, Option<string?> profile, Option<string?> store, ParseResult result, Func<DuraflowEngine, Task<int>> action)
    {
        var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
        using var local = await DuraflowEngine.OpenAsync(resolved, profile: result.GetValue(profile)).ConfigureAwait(false);
        try
        {
            return await action(local).ConfigureAwait(false);
        }
        catch (RunNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
