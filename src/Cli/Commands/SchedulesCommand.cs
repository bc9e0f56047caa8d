using System.CommandLine;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Triggers.Schedules;
using Duraflow.Engine.Validation;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow schedules list|pause|resume</c>: shows each pipeline's schedules, and pauses or resumes a pipeline's
/// schedules in the project's store, where every scheduler of the project (<c>duraflow serve</c>, the Functions timer)
/// reads the pause at its next check.
/// </summary>
internal static class SchedulesCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("schedules", "List the project's schedules, and pause or resume a pipeline's schedules");
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Pause(terminal, project, profile, store));
        command.Subcommands.Add(Resume(terminal, project, profile, store));
        return command;
    }

    private static Argument<string> PipelineName() => new("PIPELINE") { Description = "The pipeline whose schedules to pause or resume, by name" };

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var json = new Option<bool>("--json") { Description = "Print { \"items\": [...] } as GET /api/schedules does" };
        var command = new Command("list", "Each pipeline's schedules: cron or interval, in words, time zone, catch-up, paused or not, the next tick and how far they were handled") { json };
        command.SetAction((result, _) => WithControlAsync(project, profile, store, result, async (control, local) =>
        {
            var now = local.Committer.Time.GetUtcNow();
            var pipelines = await control.ListAsync(now, CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(ScheduleJson.List(pipelines)) + Environment.NewLine);
                return ExitCodes.Ok;
            }

            if (pipelines.Count == 0)
            {
                terminal.Line("no pipeline of the project has a schedule trigger");
                return ExitCodes.Ok;
            }

            terminal.Rows(
                ["pipeline", "schedule", "when", "timezone", "catch_up", "state", "next", "handled through"],
                [.. pipelines.SelectMany(p => p.Schedules.Select(s => (IReadOnlyList<string>)
                [
                    p.Pipeline, s.Trigger.Text, ScheduleWords.Describe(s.Trigger) ?? "", s.TimeZone, s.CatchUp.ToString().ToLowerInvariant(),
                    p.Paused is { } pause ? $"paused since {LocalTimes.Of(pause.Since)} by {pause.By}" : "active",
                    s.Next.Count > 0 ? LocalTimes.Of(s.Next[0]) : "never",
                    s.HandledThrough is { } mark ? LocalTimes.Of(mark) : "not checked yet",
                ]))]);
            foreach (var paused in pipelines.Where(p => p.Paused?.Reason is not null))
            {
                terminal.Line($"{paused.Pipeline} is paused: {paused.Paused!.Reason}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Pause(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = PipelineName();
        var reason = new Option<string?>("--reason") { Description = $"Why, shown with the pause (up to {ScheduleControl.MaxReasonLength} characters)" };
        var command = new Command("pause", "Pause a pipeline's schedules: no scheduled run starts until it is resumed; then missed ticks follow its catch_up") { pipeline, reason };
        command.SetAction((result, _) => WithControlAsync(project, profile, store, result, async (control, local) =>
        {
            var name = result.GetValue(pipeline)!;
            var (pause, added) = await control.PauseAsync(name, CliIdentity.Caller, result.GetValue(reason), CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(local.Store, "schedules.pause", $"pipeline:{name}", new { Reason = result.GetValue(reason) }).ConfigureAwait(false);
            terminal.Line(added
                ? $"paused the schedules of {name}"
                : $"the schedules of {name} were paused already, since {LocalTimes.Of(pause.Since)} by {pause.By}{(pause.Reason is null ? "" : $": {pause.Reason}")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Resume(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = PipelineName();
        var command = new Command("resume", "Resume a pipeline's schedules; the ticks missed while paused follow each schedule's catch_up") { pipeline };
        command.SetAction((result, _) => WithControlAsync(project, profile, store, result, async (control, local) =>
        {
            var name = result.GetValue(pipeline)!;
            var removed = await control.ResumeAsync(name, CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(local.Store, "schedules.resume", $"pipeline:{name}").ConfigureAwait(false);
            terminal.Line(removed is null
                ? $"the schedules of {name} were not paused"
                : $"resumed the schedules of {name} (paused since {LocalTimes.Of(removed.Since)} by {removed.By}); missed ticks follow each schedule's catch_up");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> WithControlAsync(
        Option<string?> project, Option<string?> profile, Option<string?> store, ParseResult result, Func<ScheduleControl, DuraflowEngine, Task<int>> action)
    {
        var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
        using var local = await DuraflowEngine.OpenAsync(resolved, profile: result.GetValue(profile)).ConfigureAwait(false);
        var validation = ProjectValidator.Validate(resolved.Root, profile: result.GetValue(profile));
        try
        {
            return await action(new ScheduleControl(local.Store, validation, resolved.Settings.TimeZone), local).ConfigureAwait(false);
        }
        catch (ScheduleControlException e)
        {
            throw new UsageException(e.Field == "reason" ? $"--reason: {e.Message}" : e.Message);
        }
    }
}
