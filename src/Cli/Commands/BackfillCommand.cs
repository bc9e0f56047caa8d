using System.CommandLine;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;
using Duraflow.Engine.Runs;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow backfill PIPELINE --from T1 --to T2 [--schedule N] [--concurrency N] [--param k=v]… [--json]</c>:
/// runs a schedule's past ticks in [T1, T2), at most N at a time, on this machine, with a progress bar; the first
/// Ctrl-C cancels the backfill and its runs, a second leaves them to <c>duraflow serve</c> or the Functions app.
/// </summary>
internal static class BackfillCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store, Option<string?> runtime)
    {
        var pipeline = new Argument<string>("PIPELINE") { Description = "The pipeline whose schedule to backfill, by name" };
        var from = new Option<string>("--from") { Description = "The first moment covered, included: 2026-11-01 or 2026-11-01T06:00 in the schedule's time zone, or with an offset", Required = true };
        var to = new Option<string>("--to") { Description = "The end, excluded, written as --from", Required = true };
        var schedule = new Option<int?>("--schedule") { Description = "Which of the pipeline's schedule triggers, from 1 (needed when it has several)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "How many of its runs may go at once; at most the pipeline's concurrency (the default)" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter value for every run, NAME=VALUE; repeat for several", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the finished backfill as JSON (as GET /api/backfills/{id}) instead of the progress bar" };
        var command = new Command("backfill", "Run a pipeline's schedule over a past range: one run per tick in [--from, --to), with the scheduler's run ids, so no tick runs twice")
        {
            pipeline, from, to, schedule, concurrency, parameters, json, runtime,
        };
        command.SetAction(async (result, _) =>
        {
            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            var given = RunCommand.ParseParameters(result.GetValue(parameters) ?? []);
            var profileName = result.GetValue(profile);
            await using var local = await RunHost.OpenAsync(resolved, result.GetValue(runtime), p => DuraflowEngine.OpenAsync(p, profile: profileName)).ConfigureAwait(false);
            var driver = await DriverAsync(local, resolved.Root, profileName).ConfigureAwait(false);
            Backfill backfill;
            try
            {
                backfill = await driver.CreateAsync(
                    new BackfillRequest(result.GetValue(pipeline)!, result.GetValue(from)!, result.GetValue(to)!, result.GetValue(schedule), result.GetValue(concurrency), given, CliIdentity.Caller),
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (BackfillException e)
            {
                throw new UsageException(e.Field is "from" or "to" or "schedule" or "concurrency" ? $"--{e.Field}: {e.Message}" : e.Message);
            }

            // Parameter values may be secrets, and the pipeline's declarations are not read here: their names only.
            await CliAudit.RecordAsync(
                local.Engine.Store, "backfill.start", $"pipeline:{backfill.Pipeline}",
                new { From = result.GetValue(from), To = result.GetValue(to), Schedule = result.GetValue(schedule), Parameters = given.Keys, BackfillId = backfill.Id }).ConfigureAwait(false);

            return await FollowAsync(terminal, local, driver, backfill, result.GetValue(json)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>A driver over the command's engine that starts runs on the runtime new runs go to.</summary>
    internal static async Task<BackfillDriver> DriverAsync(RunHost local, string root, string? profile)
    {
        var starter = await local.Router.StarterAsync(CancellationToken.None).ConfigureAwait(false);
        var settings = Engine.Projects.DuraflowProject.Open(root).Settings;
        return new BackfillDriver(
            starter, local.Engine.Store, () => ProjectValidator.Validate(root, profile: profile), settings.TimeZone, local.Engine.Committer.Time, (runId, token) => CancelRunAsync(local, runId, token));
    }

    // Works the backfill's runs here (the engine's workers, or the in-process Durable host) and steps it each time a
    // run changes, until it ends.
    private static async Task<int> FollowAsync(Terminal terminal, RunHost local, BackfillDriver driver, Backfill backfill, bool json)
    {
        var engine = local.Engine;
        using var stop = new CancellationTokenSource();
        var workers = engine.Workers.RunAsync(stop.Token);
        var interrupts = 0;
        Task? cancelling = null;
        using var leave = new CancellationTokenSource();
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                terminal.Hint($"cancelling backfill {backfill.Id} and its runs (press Ctrl-C again to leave it to duraflow serve or the Functions app)");
                cancelling = driver.CancelAsync(backfill.Id, (runId, token) => CancelRunAsync(local, runId, token), CancellationToken.None);
            }
            else
            {
                leave.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancelKey;
        try
        {
            var shown = "";
            var current = backfill;
            while (!leave.IsCancellationRequested)
            {
                current = await driver.StepAsync(backfill.Id, CancellationToken.None).ConfigureAwait(false) ?? current;
                var line = Progress(current);
                if (!json && line != shown)
                {
                    terminal.Line(line);
                    shown = line;
                }

                if (current.Status != BackfillStatus.Running && (current.Status == BackfillStatus.Finished || await AllEndedAsync(engine.Store, current).ConfigureAwait(false)))
                {
                    break;
                }

                await engine.Committer.Signal.WaitAsync(TimeSpan.FromSeconds(1), leave.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (cancelling is not null)
            {
                await cancelling.ConfigureAwait(false);
            }

            current = (await engine.Store.GetBackfillAsync(backfill.Id, CancellationToken.None).ConfigureAwait(false))?.Backfill ?? current;
            if (json)
            {
                terminal.Raw(ApiJson.Serialize(BackfillJson.Of(current)) + Environment.NewLine);
            }
            else if (leave.IsCancellationRequested)
            {
                terminal.Hint($"left backfill {current.Id} {current.Status.ToString().ToLowerInvariant()}; `duraflow backfills show {current.Id}` shows it");
            }

            return leave.IsCancellationRequested ? ExitCodes.Interrupted
                : current.Status == BackfillStatus.Finished && current.Failed == 0 && current.CancelledRuns == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
            await stop.CancelAsync().ConfigureAwait(false);
            await workers.ConfigureAwait(false);
        }
    }

    // A cancelled backfill is followed until the runs it had going have stopped.
    private static async Task<bool> AllEndedAsync(IRunStore store, Backfill backfill)
    {
        foreach (var tick in BackfillRuns.Ticks(backfill).Skip(backfill.Done).Take(backfill.Started - backfill.Done))
        {
            if (await store.GetRunAsync(BackfillRuns.RunId(backfill, tick), CancellationToken.None).ConfigureAwait(false) is { State.Status: var status } && !status.IsTerminal())
            {
                return false;
            }
        }

        return true;
    }

    internal static async Task CancelRunAsync(RunHost local, string runId, CancellationToken cancellationToken)
    {
        var runtime = await local.Router.RuntimeOfAsync(runId, cancellationToken).ConfigureAwait(false);
        await runtime.CancelAsync(runId, "its backfill was cancelled", cancellationToken).ConfigureAwait(false);
    }

    // [#######-------------] 12/30 ended (11 succeeded, 1 failed), 2 in progress
    internal static string Progress(Backfill backfill)
    {
        const int Width = 20;
        var filled = backfill.Total == 0 ? Width : backfill.Done * Width / backfill.Total;
        var counts = $"{backfill.Succeeded} succeeded, {backfill.Failed} failed" + (backfill.CancelledRuns > 0 ? $", {backfill.CancelledRuns} cancelled" : "");
        var state = backfill.Status == BackfillStatus.Running ? $"{backfill.Started - backfill.Done} in progress" : backfill.Status.ToString().ToLowerInvariant();
        return $"backfill {backfill.Id}: [{new string('#', filled)}{new string('-', Width - filled)}] {backfill.Done}/{backfill.Total} ended ({counts}), {state}";
    }
}
