using Duraflow.Cli.Output;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Workers;
using Duraflow.Api;
using Duraflow.Api.Http;

namespace Duraflow.Cli.Commands;

/// <summary>
/// Works a run to its end in this process with a live view, shared by <c>run</c> and <c>runs retry</c>. Ctrl-C asks
/// the run to cancel (running blocks get their CancellationToken); a second Ctrl-C leaves at once, and the run
/// resumes with the next <c>duraflow worker</c>, <c>run</c> or <c>serve</c> on this project.
/// </summary>
internal static class RunSession
{
    // storeOption is the --store given, if any: the commands the hints suggest need it too to find the run.
    public static async Task<int> FollowAsync(Terminal terminal, RunHost local, string runId, bool json, string? storeOption)
    {
        var store = storeOption is null ? string.Empty : $" --store {storeOption}";
        var committer = local.Engine.Committer;
        var runtime = await local.Router.RuntimeOfAsync(runId, CancellationToken.None).ConfigureAwait(false);
        var stored = await committer.Store.GetRunAsync(runId, CancellationToken.None).ConfigureAwait(false) ?? throw new RunNotFoundException(runId);
        var plan = await committer.PlanAsync(stored.State.DefinitionHash, CancellationToken.None).ConfigureAwait(false);
        var progress = new RunProgressView(terminal, [.. plan.Blocks.Select(b => b.Name)], committer.Time);
        if (!json)
        {
            terminal.Markup($"[bold]{Terminal.Escape(runId)}[/]: {plan.Blocks.Count} blocks of pipeline {Terminal.Escape(plan.Pipeline)}", $"run {runId}: {plan.Blocks.Count} blocks of pipeline {plan.Pipeline}");
        }

        using var leave = new CancellationTokenSource();
        var interrupts = 0;
        Task<RunChange>? cancelling = null;
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                // The cancel is a commit like any other; the loop below goes on working the run until the blocks have
                // stopped and the run is cancelled, showing progress.
                terminal.Hint($"cancelling run {runId} (press Ctrl-C again to leave it running in the background)");
                cancelling = runtime.CancelAsync(runId, "Ctrl-C in duraflow", CancellationToken.None);
            }
            else
            {
                leave.Cancel();
            }
        }

        static void OnWorkFailed(object? sender, WorkFailure failure) => WorkFailureOutput.Print(failure);
        Console.CancelKeyPress += OnCancelKey;
        local.WorkFailed += OnWorkFailed;
        try
        {
            var run = local.RunUntilFinishedAsync(runId, json ? null : progress.Report, leave.Token);
            var final = await progress.ShowAsync(run).ConfigureAwait(false);
            if (json)
            {
                terminal.Raw(ApiJson.Serialize(await RunJson.DetailAsync(committer, final, ServedWorkspace.Default.ApiBase, CancellationToken.None).ConfigureAwait(false)) + Environment.NewLine);
            }
            else
            {
                var colour = final.Status == RunStatus.Succeeded ? "green" : "red";
                var summary = RunView.Summary(final, committer.Time.GetUtcNow());
                terminal.Markup($"[{colour}]{Terminal.Escape(summary)}[/]", summary);
                if (final.Status != RunStatus.Succeeded)
                {
                    var events = await committer.Store.GetEventsAsync(runId, CancellationToken.None).ConfigureAwait(false);
                    var again = RetryAdvice.OnlyFixesHelp(final, events)
                        ? $"retrying the same definition fails the same way: fix what the error says, then `duraflow runs retry {runId}{store} --refresh` runs on the fixed files"
                        : $"`duraflow runs retry {runId}{store}` runs it again from its failed blocks";
                    terminal.Hint($"see `duraflow runs show {runId}{store}` and `duraflow runs logs {runId}{store}`; {again}");
                }
            }

            if (cancelling is not null && final.Status == RunStatus.Cancelled)
            {
                return ExitCodes.Interrupted;
            }

            if (cancelling is { IsFaulted: true } failed)
            {
                terminal.Hint($"the cancel could not be recorded: {failed.Exception!.GetBaseException().Message}");
            }

            return final.Status == RunStatus.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (leave.IsCancellationRequested)
        {
            var durable = runtime is Durable.DurableRuntime ? " --runtime durable" : string.Empty;
            terminal.Hint($"left run {runId} unfinished; `duraflow worker --until-idle{store}{durable}` finishes it");
            return ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
            local.WorkFailed -= OnWorkFailed;
        }
    }
}
