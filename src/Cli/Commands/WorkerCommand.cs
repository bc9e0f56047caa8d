using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow worker [--until-idle]</c>: works on every run in the project's store, for example to finish runs left
/// behind by a process that was killed. Leases of the dead process expire and its work is delivered again. On the
/// azure store any number of workers, on any machines, share the work of one account and prefix.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var untilIdle = new Option<bool>("--until-idle") { Description = "Stop when no run is left unfinished, instead of at Ctrl-C" };
        var command = new Command("worker", "Work on the project's runs: start pending ones, run blocks, fire retry timers") { untilIdle };
        command.SetAction(async (result, _) =>
        {
            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            using var local = await DuraflowEngine.OpenAsync(resolved, profile: result.GetValue(profile), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
            {
                e.Cancel = true;
                stop.Cancel();
            }

            static void OnWorkFailed(object? sender, WorkFailure failure) => WorkFailureOutput.Print(failure);

            Console.CancelKeyPress += OnCancelKey;
            local.Workers.WorkFailed += OnWorkFailed;
            try
            {
                var unfinished = await local.Committer.Store.CountUnfinishedRunsAsync(CancellationToken.None).ConfigureAwait(false);
                terminal.Line($"worker {local.Committer.Options.WorkerId} on {local.StoreDescription}: {unfinished} unfinished run(s), {local.Committer.Options.Parallelism} block(s) at once");
                if (result.GetValue(untilIdle))
                {
                    await local.DrainAsync(stop.Token).ConfigureAwait(false);
                    terminal.Line("no unfinished runs left");
                }
                else
                {
                    await local.Workers.RunAsync(stop.Token).ConfigureAwait(false);
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
                local.Workers.WorkFailed -= OnWorkFailed;
            }
        });
        return command;
    }
}
