using System.CommandLine;
using Duraflow.Api.Auth;
using Duraflow.Api.Http;
using Duraflow.Cli.Output;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow keys create|list|revoke</c>: the API keys kept in the project's store, each with a role and an optional
/// pipeline glob, workspace and lifetime. Keys live in the default workspace's store, the project's, whatever
/// workspaces <c>duraflow serve</c> serves beside it. A new key is printed once; the store keeps only a salted hash of it.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("keys", "Create, list or revoke the API keys callers of `duraflow serve` and the Functions app present");
        command.Subcommands.Add(New(terminal, project, profile, store));
        command.Subcommands.Add(List(terminal, project, profile, store));
        command.Subcommands.Add(Revoke(terminal, project, profile, store));
        return command;
    }

    private static Command New(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var name = new Option<string>("--name") { Description = "What the key is for, such as ci; unique among keys not revoked", Required = true };
        var role = new Option<string>("--role") { Description = "viewer (read), operator (also start, cancel, retry, signal, backfill, pause) or admin (everything)", Required = true };
        var pipelines = new Option<string?>("--pipelines") { Description = "Only pipelines matching this glob, such as 'orders*'; others answer 404 to the key" };
        var workspace = new Option<string?>("--workspace") { Description = "Only this workspace of duraflow serve --workspace (default: the project's own, at /api); others answer 404 to the key" };
        var expires = new Option<string?>("--expires") { Description = "How long the key works, such as 90d or 12h; without it, until it is revoked" };
        var json = new Option<bool>("--json") { Description = "Print the key and its details as POST /api/keys does" };
        var command = new Command("create", "Create an API key and print it, this once") { name, role, pipelines, workspace, expires, json };
        command.SetAction(async (result, _) =>
        {
            var (parsedRole, life, refusal) = KeyCreation.Check(result.GetValue(name)!, result.GetValue(role)!, result.GetValue(pipelines), result.GetValue(workspace), result.GetValue(expires));
            if (refusal is not null)
            {
                throw new UsageException($"{Option(refusal.Field)}: {refusal.Problem}");
            }

            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var (key, text, taken) = await KeyCreation.CreateAsync(
                KeyCreation.Of(local.Store), result.GetValue(name)!, parsedRole, result.GetValue(pipelines), result.GetValue(workspace), life, CliIdentity.Caller, now, CancellationToken.None).ConfigureAwait(false);
            if (taken is not null)
            {
                throw new UsageException($"--name: {taken.Problem}");
            }


            // Shown before it is recorded: a log that cannot take the entry must not leave a live key nobody saw.
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(KeyJson.Created(key!, text!, now)) + Environment.NewLine);
            }
            else
            {
                terminal.Line(text!);
                terminal.Hint($"created key {key!.Name} ({key.Role}{(key.Pipelines is null ? "" : $", pipelines {key.Pipelines}")}{(key.Workspace is null ? "" : $", workspace {key.Workspace}")}"
                    + $"{(key.ExpiresAt is { } at ? $", expires {LocalTimes.Of(at)}" : "")}); it is shown this once: keep it in a secret store");
            }

            await CliAudit.RecordAsync(local.Store, "key.create", $"key:{key!.Name}", new { key.Role, key.Pipelines, key.Workspace, key.ExpiresAt }).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var json = new Option<bool>("--json") { Description = "Print them as GET /api/keys does" };
        var command = new Command("list", "Every key: name, role, pipelines, workspace, status, who created it and when it expires") { json };
        command.SetAction(async (result, _) =>
        {
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var keys = await KeyCreation.Of(local.Store).ListKeysAsync(CancellationToken.None).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            if (result.GetValue(json))
            {
                terminal.Raw(ApiJson.Serialize(KeyJson.List(keys, now)) + Environment.NewLine);
            }
            else if (keys.Count == 0)
            {
                terminal.Line("no API keys; create one with duraflow keys create --name NAME --role viewer|operator|admin");
            }
            else
            {
                terminal.Rows(
                    ["name", "role", "pipelines", "workspace", "status", "created", "by", "expires"],
                    [.. keys.Select(k => (IReadOnlyList<string>)[k.Name, k.Role, k.Pipelines ?? "all", k.Workspace ?? "all", KeyJson.Status(k, now), LocalTimes.Of(k.CreatedAt), k.CreatedBy,
                        k.ExpiresAt is { } at ? LocalTimes.Of(at) : "never"])]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var name = new Argument<string>("name") { Description = "The key's name" };
        var command = new Command("revoke", "Revoke a key: servers stop taking it within 10 seconds") { name };
        command.SetAction(async (result, _) =>
        {
            using var local = await ProjectResolver.OpenEngineAsync(project, profile, store, result).ConfigureAwait(false);
            var given = result.GetValue(name)!;
            if (await KeyCreation.Of(local.Store).RevokeKeyAsync(given, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false) is null)
            {
                throw new UsageException($"no key named '{given}' is active; duraflow keys list shows them");
            }

            await CliAudit.RecordAsync(local.Store, "key.revoke", $"key:{given}").ConfigureAwait(false);

            terminal.Line($"revoked key {given}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Option(string field) => field switch
    {
        "expires_in" => "--expires",
        _ => "--" + field,
    };
}
