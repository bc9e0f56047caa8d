using System.Globalization;
using Duraflow.Api.Auth;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary><c>GET /api/audit</c> (admin): the audit log, newest first, a page at a time, filtered by time, actor and action.</summary>
internal static class AuditEndpoints
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ListAsync).WithSummary("The audit log: who changed what, newest first").WithQuery(
            ("since", $"Only entries at or after this: {AuditSince.Rule}"),
            ("actor", "Only this actor's entries, such as key:ci or cli:ana@host"),
            ("action", "Only this action's entries, such as run.cancel"),
            ("limit", $"Page size, 1 to {MaxLimit}, default 100"),
            ("cursor", "The next_cursor of the previous page, unchanged")).Requires(ApiPermission.Administer).AcrossPipelines();
    }

    private static async Task<IResult> ListAsync(HttpRequest request, SharedEngine sharedEngine, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = request.Query;
        DateTimeOffset? since = null;
        if (query["since"].FirstOrDefault() is { Length: > 0 } sinceText)
        {
            if (!AuditSince.TryParse(sinceText, time.GetUtcNow(), out var parsed))
            {
                return ApiProblems.BadField("since", $"'{sinceText}' is not {AuditSince.Rule}");
            }

            since = parsed;
        }

        var limit = 100;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return ApiProblems.BadField("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        // The cursor is the last id of the previous page; ids are the store's own text, checked for their shape only.
        var cursor = query["cursor"].FirstOrDefault() is { Length: > 0 } cursorText ? cursorText : null;
        if (cursor is not null && (cursor.Length > 64 || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            return ApiProblems.BadField("cursor", "is not a cursor this API returned; pass next_cursor back unchanged");
        }

        var actor = query["actor"].FirstOrDefault() is { Length: > 0 } a ? a : null;
        var action = query["action"].FirstOrDefault() is { Length: > 0 } b ? b : null;
        var engine = await sharedEngine.GetAsync(cancellationToken);
        var log = engine.Store as IAuditLog ?? throw new InvalidOperationException($"the run store {engine.Store.GetType().Name} keeps no audit log");
        var rows = await log.ListAuditAsync(new AuditQuery(since, actor, action, limit + 1, cursor), cancellationToken);
        var page = rows.Take(limit).ToList();
        return Results.Ok(AuditJson.List(page, rows.Count > limit ? page[^1].Id : null));
    }
}
