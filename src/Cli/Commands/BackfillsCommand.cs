using System.CommandLine;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow backfills list|show|cancel</c>: the project's backfills with their counts, one in full, and cancelling
/// one (it starts no more runs, and the runs it has going are cancelled).
/// </summary>
internal static class BackfillsCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("backfills", "List backfills with their counts, show one, or cancel one");
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Show(terminal, project, profile, store));
        command.Subcommands.Add(Cancel(terminal, project, profile, store));
        return command;
    }

    private static Argument<string> Id() => new("ID") { Description = "The backfill's id, as duraflow backfill or backfills list printed it" };

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline's backfills" };
        var json = new Option<bool>("--json") { Description = "Print { \"items\": [...] } as GET /api/backfills does" };
        var command = new Command("list", "The backfills, newest first: pipeline, range, status and how many of their runs ended, succeeded and failed") { pipeline, json };
        command.SetAction(async (result, _) =>
        {
            var only = result.GetValue(pipeline);
            if (only is not null && !Names.IsValid(only))
            {
                throw new UsageException($"--pipeline '{only}' is not a pipeline name; names are {Names.Rule}");
            }

            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var listed = (await local.Store.ListBackfillsAsync(only, runningOnly: false, CancellationToken.None).ConfigureAwait(false)).Select(b => b.Backfill).ToList();
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(BackfillJson.List(listed)) + Environment.NewLine);
                return ExitCodes.Ok;
            }

            if (listed.Count == 0)
            {
                terminal.Line("no backfills");
                return ExitCodes.Ok;
            }

            terminal.Rows(
                ["id", "pipeline", "from", "to", "timezone", "status", "ended", "succeeded", "failed", "in progress"],
                [.. listed.Select(b => (IReadOnlyList<string>)
                [
                    b.Id, b.Pipeline, InZone(b.From, b.TimeZone), InZone(b.To, b.TimeZone), b.TimeZone, b.Status.ToString().ToLowerInvariant(), $"{b.Done}/{b.Total}",
                    $"{b.Succeeded}", $"{b.Failed}", $"{b.Started - b.Done}",
                ])]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = Id();
        var json = new Option<bool>("--json") { Description = "Print it as GET /api/backfills/{id} does" };
        var command = new Command("show", "One backfill: its schedule, range, parameters and counts") { id, json };
        command.SetAction(async (result, _) =>
        {
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var backfill = (await local.Store.GetBackfillAsync(result.GetValue(id)!, CancellationToken.None).ConfigureAwait(false))?.Backfill
                ?? throw new UsageException($"there is no backfill '{result.GetValue(id)}'; `duraflow backfills list` shows them");
            terminal.Raw(result.GetValue(json)
                ? ApiJson.Serialize(BackfillJson.Of(backfill)) + Environment.NewLine
                : BackfillCommand.Progress(backfill) + Environment.NewLine
                    + $"schedule {backfill.Schedule} ({backfill.Cron ?? $"every {Blocks.Text.Duration.Format(backfill.Every!.Value)} from {backfill.Anchor}"}, {backfill.TimeZone}), "
                    + $"[{InZone(backfill.From, backfill.TimeZone)}, {InZone(backfill.To, backfill.TimeZone)}), concurrency {backfill.Concurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unbounded"}, "
                    + $"by {backfill.CreatedBy} at {LocalTimes.Of(backfill.CreatedAt)}; {backfill.Existing} tick(s) had run before{Environment.NewLine}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var id = Id();
        var command = new Command("cancel", "Cancel a backfill: it starts no more runs, and the runs it has going are cancelled") { id };
        command.SetAction(async (result, _) =>
        {
            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            var profileName = result.GetValue(profile);
            await using var local = await RunHost.OpenAsync(resolved, RuntimeNames.Of(RuntimeKind.Duraflow), p => DuraflowEngine.OpenAsync(p, profile: profileName)).ConfigureAwait(false);
            var driver = await BackfillCommand.DriverAsync(local, resolved.Root, profileName).ConfigureAwait(false);
            var (backfill, changed) = await driver.CancelAsync(result.GetValue(id)!, (runId, token) => BackfillCommand.CancelRunAsync(local, runId, token), CancellationToken.None).ConfigureAwait(false);
            if (backfill is null)
            {
                throw new UsageException($"there is no backfill '{result.GetValue(id)}'; `duraflow backfills list` shows them");
            }

            await CliAudit.RecordAsync(local.Engine.Store, "backfill.cancel", $"backfill:{backfill.Id}").ConfigureAwait(false);

            terminal.Line(changed
                ? $"cancelled backfill {backfill.Id}; it starts no more runs, and its {backfill.Started - backfill.Done} run(s) in progress were asked to stop"
                : $"backfill {backfill.Id} was {backfill.Status.ToString().ToLowerInvariant()} already");
            return ExitCodes.Ok;
        });
        return command;
    }

    // A backfill's range reads best in its schedule's zone, where it was written.
    private static string InZone(DateTimeOffset time, string zone) =>
        TimeZoneInfo.ConvertTime(time, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
