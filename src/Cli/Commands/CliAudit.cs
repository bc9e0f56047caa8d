using System.Text.Json;
using Duraflow.Api.Http;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Commands;

/// <summary>
/// Records a change a command made in the project's audit log, as the API records its own: the actor is the
/// operating-system user (<see cref="CliIdentity.Caller"/>, kind <c>cli</c>), the result <c>ok</c>. Recorded after
/// the change; a store that cannot take the entry makes the command fail loudly, the change made.
/// </summary>
internal static class CliAudit
{
    /// <summary>
    /// Appends the entry to <paramref name="store"/> (the project's run store; one that keeps no audit log records
    /// nothing): <paramref name="parameters"/> (what was asked, as JSON) masked as the API masks a body, its
    /// <c>parameters</c> keeping only the values of <paramref name="plainParameters"/>.
    /// </summary>
    public static async Task RecordAsync(
        object store, string action, string target, object? parameters = null, IReadOnlySet<string>? plainParameters = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store is not IAuditLog log)
        {
            return;
        }

        var at = DateTimeOffset.UtcNow;
        var body = parameters is null ? null : JsonSerializer.Serialize(parameters, ApiJson.Options);
        var masked = AuditMasking.Parameters(body, null, Microsoft.AspNetCore.Http.QueryCollection.Empty, plainParameters ?? new HashSet<string>());
        await log.AppendAuditAsync(new AuditEntry(AuditIds.For(at), at, CliIdentity.Caller, "cli", action, target, masked, "ok", null), CancellationToken.None)
            .ConfigureAwait(false);
    }
}
