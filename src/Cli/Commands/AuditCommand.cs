using System.CommandLine;
using Duraflow.Api;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow audit</c>: the project's audit log, newest first: who changed what, through the API or the CLI.</summary>
internal static class AuditCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var since = new Option<string?>("--since") { Description = $"Only entries at or after this: {AuditSince.Rule}" };
        var actor = new Option<string?>("--actor") { Description = "Only this actor's entries, such as key:ci, cli:ana@host or entra:ana@contoso.com (oid …)" };
        var action = new Option<string?>("--action") { Description = "Only this action's entries, such as run.cancel or key.create" };
        var limit = new Option<int>("--limit") { Description = $"At most this many, 1 to {AuditEndpoints.MaxLimit}", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print them as GET /api/audit does" };
        var command = new Command("audit", "The audit log: who changed what (runs started, cancelled, keys made, checkpoints set…), newest first")
        {
            since, actor, action, limit, json,
        };
        command.SetAction(async (result, _) =>
        {
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } sinceText)
            {
                from = AuditSince.TryParse(sinceText, DateTimeOffset.UtcNow, out var parsed) ? parsed : throw new UsageException($"--since '{sinceText}' is not {AuditSince.Rule}");
            }

            var count = result.GetValue(limit);
            if (count is < 1 or > AuditEndpoints.MaxLimit)
            {
                throw new UsageException($"--limit must be from 1 to {AuditEndpoints.MaxLimit}");
            }

            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var log = local.Store as IAuditLog ?? throw new UsageException($"the run store {local.StoreDescription} keeps no audit log");
            var entries = await log.ListAuditAsync(new AuditQuery(from, result.GetValue(actor), result.GetValue(action), count), CancellationToken.None).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(AuditJson.List(entries, null)) + Environment.NewLine);
            }
            else if (entries.Count == 0)
            {
                terminal.Line("no audit entries match");
            }
            else
            {
                // Entries hold what callers sent (run ids, signal names): shown, never obeyed, by the terminal.
                terminal.Rows(
                    ["at", "actor", "action", "target", "result", "client"],
                    [.. entries.Select(e => (IReadOnlyList<string>)[LocalTimes.Of(e.At), PrintableText.Of(e.Actor), PrintableText.Of(e.Action), PrintableText.Of(e.Target), PrintableText.Of(e.Result), PrintableText.Of(e.Client ?? "")])]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
