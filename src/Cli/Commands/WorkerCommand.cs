using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow worker [--until-idle] [--runtime duraflow|durable]</c>: works on every run in the project's store, for
/// example to finish runs left behind by a process that was killed. Leases of the dead process expire and its work is
/// delivered again. On the azure store any number of workers, on any machines, share the work of one account and
/// prefix. Durable runs are carried on by the in-process Durable host on the project's task hub, which starts when
/// the runtime is <c>durable</c> or the store holds unfinished durable runs. Without <c>--until-idle</c> it also applies
/// duraflow.yaml's <c>retention:</c>, purging finished runs older than it says at start and every hour.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store, Option<string?> runtime)
    {
        var untilIdle = new Option<bool>("--until-idle") { Description = "Stop when no run is left unfinished, instead of at Ctrl-C" };
        var command = new Command("worker", "Work on the project's runs: start pending ones, run blocks, fire retry timers") { untilIdle, runtime };
        command.SetAction(async (result, _) =>
        {
            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            await using var local = await RunHost.OpenAsync(resolved, result.GetValue(runtime), p => DuraflowEngine.OpenAsync(p, profile: result.GetValue(profile))).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
            {
                e.Cancel = true;
                stop.Cancel();
            }

            static void OnWorkFailed(object? sender, WorkFailure failure) => WorkFailureOutput.Print(failure);
            void OnPurged(object? sender, RunPurgeResult purged) =>
                terminal.Line($"retention: purged {purged.Purged} run(s) that ended before {purged.EndedBefore.ToLocalTime():yyyy-MM-dd HH:mm:ss}"
                    + (purged.KeptBecause is { } because ? $"; kept {purged.Kept}: {because}" : string.Empty));
            static void OnPurgeFailed(object? sender, Exception error) =>
                Console.Error.WriteLine($"worker: retention: {error.Message} (the next round, within the hour, tries again)");

            Console.CancelKeyPress += OnCancelKey;
            local.WorkFailed += OnWorkFailed;
            local.Engine.Retention.Purged += OnPurged;
            local.Engine.Retention.Failed += OnPurgeFailed;
            try
            {
                var engine = local.Engine;
                if (local.Runtime == RuntimeKind.Durable || await local.Router.HasUnfinishedDurableRunsAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    // The in-process Durable host carries the durable runs on; it starts here, before the count below.
                    await local.DurableAsync().ConfigureAwait(false);
                }

                // Runs whose start was recorded by a process that died before it scheduled their orchestration.
                var resumed = await local.Router.ResumeDurableOrphansAsync(CancellationToken.None).ConfigureAwait(false);
                if (resumed > 0)
                {
                    terminal.Line($"started the orchestration of {resumed} durable run(s) left without one");
                }

                var unfinished = await engine.Committer.Store.CountUnfinishedRunsAsync(CancellationToken.None).ConfigureAwait(false);
                terminal.Line($"worker {engine.Committer.Options.WorkerId} on {local.Description}: {unfinished} unfinished run(s), {engine.Committer.Options.Parallelism} block(s) at once");
                if (result.GetValue(untilIdle))
                {
                    await engine.DrainAsync(stop.Token).ConfigureAwait(false);
                    terminal.Line("no unfinished runs left");
                }
                else
                {
                    await Task.WhenAll(engine.Workers.RunAsync(stop.Token), engine.Retention.RunAsync(stop.Token)).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            finally
            {
                Console.CancelKeyPress -= OnCancelKey;
                local.WorkFailed -= OnWorkFailed;
                local.Engine.Retention.Purged -= OnPurged;
                local.Engine.Retention.Failed -= OnPurgeFailed;
            }
        });
        return command;
    }
}
