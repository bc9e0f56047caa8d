using System.CommandLine;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow cache list|clear [--pipeline P] [--block B] [--json]</c>: the cached block outputs in the project's
/// store, which every run and worker shares, and clearing them so that the next runs compute those blocks again.
/// </summary>
internal static class CacheCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("cache", "List or clear the cached block outputs that runs reuse (blocks with cache:)");
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Clear(terminal, project, profile, store));
        return command;
    }

    private static (Option<string?> Pipeline, Option<string?> Block, Option<bool> Json) Filters(string json) => (
        new Option<string?>("--pipeline") { Description = "Only this pipeline's entries" },
        new Option<string?>("--block") { Description = "Only this block's entries" },
        new Option<bool>("--json") { Description = json });

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var (pipeline, block, json) = Filters("Print { \"items\": [...] } as GET /api/cache does");
        var command = new Command("list", "Each cached output: pipeline, block, the run that computed it, when, and when it expires") { pipeline, block, json };
        command.SetAction((result, _) => WithStoreAsync(project, profile, store, result, (pipeline, block), async (entries, only) =>
        {
            var listed = await entries.ListCacheEntriesAsync(only.Pipeline, only.Block, CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(CacheJson.List(listed)) + Environment.NewLine);
                return ExitCodes.Ok;
            }

            if (listed.Count == 0)
            {
                terminal.Line("no cached outputs" + Of(only.Pipeline, only.Block));
                return ExitCodes.Ok;
            }

            terminal.Rows(
                ["pipeline", "block", "computed by", "at", "expires", "key"],
                [.. listed.Select(e => (IReadOnlyList<string>)
                [
                    e.Pipeline, e.InstanceKey, $"{e.RunId} attempt {e.Attempt}", LocalTimes.Of(e.CreatedAt),
                    e.ExpiresAt is { } expires ? LocalTimes.Of(expires) : "never", e.Key[..12],
                ])]);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Clear(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var (pipeline, block, json) = Filters("Print { \"cleared\": N, ... } as DELETE /api/cache does");
        var command = new Command("clear", "Delete cached outputs (all, or of --pipeline and --block); the next runs compute those blocks again") { pipeline, block, json };
        command.SetAction((result, _) => WithStoreAsync(project, profile, store, result, (pipeline, block), async (entries, only) =>
        {
            var cleared = await entries.DeleteCacheEntriesAsync(only.Pipeline, only.Block, CancellationToken.None).ConfigureAwait(false);
            await CliAudit.RecordAsync(entries, "cache.clear", "", new { only.Pipeline, only.Block, Cleared = cleared }).ConfigureAwait(false);
            terminal.Raw(result.GetValue(json)
                ? ApiJson.Serialize(CacheJson.Cleared(cleared, only.Pipeline, only.Block)) + Environment.NewLine
                : $"cleared {cleared} cached output(s){Of(only.Pipeline, only.Block)}{Environment.NewLine}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> WithStoreAsync(
        Option<string?> project, Option<string?> profile, Option<string?> store, ParseResult result, (Option<string?> Pipeline, Option<string?> Block) filters,
        Func<ICacheEntries, (string? Pipeline, string? Block), Task<int>> action)
    {
        var only = (Checked(result, filters.Pipeline, "pipeline"), Checked(result, filters.Block, "block"));
        var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
        using var local = await DuraflowEngine.OpenAsync(resolved, profile: result.GetValue(profile)).ConfigureAwait(false);
        return await action(local.Store, only).ConfigureAwait(false);
    }

    private static string? Checked(ParseResult result, Option<string?> option, string what) => result.GetValue(option) switch
    {
        null => null,
        var name when Names.IsValid(name) => name,
        var name => throw new UsageException($"{option.Name} '{name}' is not a {what} name; names are {Names.Rule}"),
    };

    private static string Of(string? pipeline, string? block) =>
        (pipeline, block) switch
        {
            (null, null) => "",
            ({ } p, null) => $" of pipeline {p}",
            (null, { } b) => $" of blocks named {b}",
            var (p, b) => $" of block {b} of pipeline {p}",
        };
}
