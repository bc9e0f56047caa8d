using System.CommandLine;
using System.Text.Json;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Definitions;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow checkpoints list|set|reset --pipeline P</c>: a pipeline's watermarks in the project's store, seen, set by
/// hand (to re-read from a point, or skip ahead) and reset (the next run starts from none).
/// </summary>
internal static class CheckpointsCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("checkpoints", "List, set or reset a pipeline's checkpoints (the watermarks of its incremental blocks)");
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Set(terminal, project, profile, store));
        command.Subcommands.Add(Reset(terminal, project, profile, store));
        return command;
    }

    private static Option<string> Pipeline() => new("--pipeline") { Description = "The pipeline whose checkpoints these are", Required = true };

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = Pipeline();
        var json = new Option<bool>("--json") { Description = "Print them as GET /api/pipelines/{name}/checkpoints does" };
        var command = new Command("list", "The pipeline's checkpoints: name, value and when it was last set") { pipeline, json };
        command.SetAction(async (result, _) =>
        {
            var name = Checked(result.GetValue(pipeline)!);
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var listed = await local.Store.ListCheckpointsAsync(name, CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(CheckpointJson.List(name, listed)) + Environment.NewLine);
            }
            else if (listed.Count == 0)
            {
                terminal.Line($"pipeline {name} has no checkpoints");
            }
            else
            {
                terminal.Rows(["name", "value", "set at"], [.. listed.Select(c => (IReadOnlyList<string>)[c.Name, c.Value.GetRawText(), LocalTimes.Of(c.UpdatedAt)])]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Set(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = Pipeline();
        var name = new Option<string>("--name") { Description = "The checkpoint's name", Required = true };
        var value = new Option<string>("--value") { Description = "Its new value, as JSON: 1200, \"2026-11-01T00:00:00Z\", {\"id\": 5}", Required = true };
        var command = new Command("set", "Set a checkpoint, as a successful run would: the next run reads from it") { pipeline, name, value };
        command.SetAction(async (result, _) =>
        {
            var pipelineName = Checked(result.GetValue(pipeline)!);
            var checkpoint = CheckedName(result.GetValue(name));
            var json = ParseValue(result.GetValue(value)!);
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            await local.Store.SetCheckpointAsync(pipelineName, checkpoint, json, CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(local.Store, "checkpoint.set", $"pipeline:{pipelineName}/checkpoint:{checkpoint}", new { Value = json }).ConfigureAwait(false);
            terminal.Line($"set checkpoint {checkpoint} of {pipelineName} to {json.GetRawText()}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reset(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = Pipeline();
        var name = new Option<string?>("--name") { Description = "Only this checkpoint; without it, every checkpoint of the pipeline" };
        var command = new Command("reset", "Delete checkpoints: the next run reads from the start (as if it were the first)") { pipeline, name };
        command.SetAction(async (result, _) =>
        {
            var pipelineName = Checked(result.GetValue(pipeline)!);
            var checkpoint = result.GetValue(name) is { } given ? CheckedName(given) : null;
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var deleted = await local.Store.DeleteCheckpointsAsync(pipelineName, checkpoint, CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(
                local.Store, checkpoint is null ? "checkpoints.reset" : "checkpoint.reset", checkpoint is null ? $"pipeline:{pipelineName}" : $"pipeline:{pipelineName}/checkpoint:{checkpoint}",
                new { Deleted = deleted }).ConfigureAwait(false);
            terminal.Line($"reset {deleted} checkpoint(s) of {pipelineName}{(checkpoint is null ? "" : $" named {checkpoint}")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Checked(string pipeline) =>
        Names.IsValid(pipeline) ? pipeline : throw new UsageException($"--pipeline '{pipeline}' is not a pipeline name; names are {Names.Rule}");

    private static string CheckedName(string? name) =>
        Blocks.CheckpointLimits.NameProblem(name) is { } why ? throw new UsageException($"--name: the checkpoint name {why}") : name!;

    private static JsonElement ParseValue(string text)
    {
        if (Blocks.CheckpointLimits.ValueProblem(text) is { } tooLarge)
        {
            throw new UsageException($"--value {tooLarge}");
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--value '{(text.Length > 40 ? text[..40] + "…" : text)}' is not JSON ({e.Message}); write text in quotes: --value '\"2026-11-01\"'");
        }
    }
}
