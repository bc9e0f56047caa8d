using System.CommandLine;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow runs purge --older-than AGE [--pipeline P] [--dry-run] [--json]</c>: deletes finished runs for good,
/// with everything the store keeps of them, and the Durable history of durable runs.
/// </summary>
internal static class RunsPurgeCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = $"Purge the runs that ended longer ago than this: a duration such as {PurgeAge.Examples}",
            Required = true,
        };
        var pipeline = new Option<string?>("--pipeline") { Description = "Only runs of this pipeline" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the runs that would be purged, and purge none" };
        var json = new Option<bool>("--json") { Description = "Print the outcome as JSON, as POST /api/runs/purge answers it" };
        var command = new Command(
            "purge",
            "Delete finished runs older than --older-than for good, with their logs, outputs and Durable history")
        {
            olderThan, pipeline, dryRun, json,
        };
        command.SetAction(async (result, _) =>
        {
            var text = result.GetValue(olderThan)!;
            if (!PurgeAge.TryParse(text, out var age, out var problem))
            {
                throw new UsageException($"--older-than {problem}");
            }

            var only = result.GetValue(pipeline);
            if (only is { Length: 0 })
            {
                throw new UsageException("--pipeline '' names no pipeline; leave it out to purge the runs of every pipeline");
            }

            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            await using var local = await RunHost.OpenAsync(resolved, RuntimeNames.Of(RuntimeKind.Duraflow), p => DuraflowEngine.OpenAsync(p, profile: result.GetValue(profile))).ConfigureAwait(false);
            var retention = local.Engine.Retention;
            var cutoff = PurgeAge.Cutoff(local.Engine.Committer.Time.GetUtcNow(), age);
            var before = LocalTimes.Of(cutoff);
            var of = only is null ? "" : $" of pipeline {only}";
            if (result.GetValue(dryRun))
            {
                var matched = await retention.CountAsync(cutoff, only, CancellationToken.None).ConfigureAwait(false);
                terminal.Raw(result.GetValue(json)
                    ? ApiJson.Serialize(RunPurgeJson.DryRun(cutoff, only, matched)) + Environment.NewLine
                    : $"would purge {matched} finished run(s){of} that ended before {before}{Environment.NewLine}");
                return ExitCodes.Ok;
            }

            var purged = await retention.PurgeAsync(cutoff, only, int.MaxValue, CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(
                local.Engine.Store, "runs.purge", only is null ? "" : $"pipeline:{only}", new { OlderThan = result.GetValue(olderThan), purged.Purged }).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(RunPurgeJson.Of(purged, only)) + Environment.NewLine);
            }
            else
            {
                terminal.Line($"purged {purged.Purged} finished run(s){of} that ended before {before}");
                if (purged.Kept > 0)
                {
                    terminal.Error($"kept {purged.Kept} run(s): {purged.KeptBecause ?? "they changed while being purged (retried?)"}");
                }
            }

            // Runs kept for their history are a failure to report; runs that changed meanwhile are not old any more.
            return purged.KeptBecause is null ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
