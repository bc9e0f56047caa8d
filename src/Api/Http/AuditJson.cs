using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>Audit entries as <c>GET /api/audit</c> returns them and <c>duraflow audit --json</c> prints them.</summary>
internal static class AuditJson
{
    public static object List(IReadOnlyList<AuditEntry> entries, string? nextCursor) => new { Items = entries.Select(Of), NextCursor = nextCursor };

    public static object Of(AuditEntry entry) => new
    {
        entry.Id,
        entry.At,
        entry.Actor,
        entry.ActorKind,
        entry.Action,
        entry.Target,
        entry.Parameters,
        entry.Result,
        entry.Client,
    };
}
