using Duraflow.Api.Auth;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>The run endpoints of the HTTP API (docs/api.md).</summary>
internal static class RunEndpoints
{
    /// <summary>The largest page of <c>GET /api/runs</c>.</summary>
    public const int MaxLimit = 200;

    public static void MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/pipelines/{name}/runs", StartRunEndpoint.HandleAsync).WithSummary("Start a run of the pipeline").Requires(ApiPermission.Operate).Audited("run.start", "pipeline:{name}")
            .RequireRateLimiting(StartRateLimit.Policy);
        app.MapGet("/api/runs", ListAsync).WithSummary("List runs, newest first, a page at a time").WithQuery(
            ("pipeline", "Only this pipeline's runs"),
            ("status", $"Only runs with this status: {RunListStatus.Choices}"),
            ("from", "Only runs requested at or after this time (ISO 8601, UTC unless it names an offset)"),
            ("to", "Only runs requested before this time"),
            ("limit", $"Page size, 1 to {MaxLimit}, default 20"),
            ("cursor", "The next_cursor of the previous page, unchanged")).Requires(ApiPermission.Read);
        app.MapPost("/api/runs/purge", PurgeRunsEndpoint.HandleAsync).WithSummary("Delete finished runs older than an age, for good").Requires(ApiPermission.Administer).AcrossPipelines().Audited("runs.purge");
        app.MapGet("/api/runs/{id}", GetAsync).WithSummary("A run with its blocks").Requires(ApiPermission.Read);
        app.MapPost("/api/runs/{id}/cancel", CancelAsync).WithSummary("Cancel a run").Requires(ApiPermission.Operate).Audited("run.cancel", "run:{id}");
        app.MapPost("/api/runs/{id}/retry", RetryAsync).WithSummary("Retry a failed or cancelled run from its failed blocks").Requires(ApiPermission.Operate).Audited("run.retry", "run:{id}");
        app.MapPost("/api/runs/{id}/signals/{name}", SignalEndpoint.HandleAsync).WithSummary("Send a signal or an approval to the run's waiting blocks").Requires(ApiPermission.Operate).Audited("run.signal", "run:{id}/signal:{name}");
        app.MapGet("/api/runs/{id}/logs", LogsAsync).WithSummary("The log lines the run's blocks wrote").Requires(ApiPermission.Read);
        app.MapGet("/api/runs/{id}/timeline", TimelineAsync).WithSummary("Every stretch each block spent queued, running, waiting or waiting to retry, attempt by attempt").Requires(ApiPermission.Read);
        app.MapGet("/api/runs/{id}/stream", RunStreamEndpoint.HandleAsync).WithSummary("Server-sent events: the run's JSON each time it changes, until it ends").Requires(ApiPermission.Read);
        app.MapGet("/api/runs/{id}/outputs/{key}", OutputEndpoint.HandleAsync).WithSummary("A preview of a block's stored output")
            .WithQuery(("rows", "How many rows of a table to show, 0 to 1000, default 100")).Requires(ApiPermission.Read);
        app.MapGet("/api/ready", ReadinessEndpoint.HandleAsync).WithSummary("The project validates and the run store answers").Requires(ApiPermission.Read);
    }

    private static async Task<IResult> ListAsync(HttpContext context, HttpRequest request, SharedEngine sharedEngine, RunCursorKey cursorKey, CancellationToken cancellationToken)
    {
        var query = request.Query;
        RunStatus? status = null;
        var waitingOnly = false;
        if (query["status"].FirstOrDefault() is { Length: > 0 } statusText)
        {
            if (!RunListStatus.TryParse(statusText, out var parsed, out waitingOnly))
            {
                return ApiProblems.BadField("status", $"'{statusText}' is not a run status; use {RunListStatus.Choices}");
            }

            status = parsed;
        }

        var limit = 20;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return ApiProblems.BadField("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        RunCursor? after = null;
        if (query["cursor"].FirstOrDefault() is { Length: > 0 } cursorText && !RunCursorText.TryDecode(cursorText, cursorKey, out after))
        {
            return ApiProblems.BadField("cursor", "is not a cursor this API returned for this store (typed or edited by hand, cut short, or from another server); pass next_cursor back unchanged, or list from the start without a cursor");
        }

        var (from, to, badTime) = TimeRange(query);
        if (badTime is not null)
        {
            return badTime;
        }

        var pipeline = query["pipeline"].FirstOrDefault() is { Length: > 0 } p ? p : null;
        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        var runQuery = new RunQuery(pipeline, status, limit + 1, after, waitingOnly, from, to);
        var rows = ApiCaller.Of(context)?.Pipelines is { } glob
            ? await VisibleRunsAsync(committer.Store, runQuery, glob, cancellationToken)
            : await committer.Store.ListRunsAsync(runQuery, cancellationToken);

        // One row more than asked tells whether another page exists, so the last page never links to an empty one.
        var page = rows.Take(limit).ToList();
        return Results.Ok(new
        {
            Items = page.Select(r => RunJson.Summary(r, RunLinks.BaseOf(context))),
            NextCursor = rows.Count > limit ? RunCursorText.Encode(RunCursor.After(page[^1]), cursorKey) : null,
        });
    }

    // The page of a caller limited to some pipelines: only their runs, read on past the others, so that neither a row
    // nor the cursor (which names its last row) is of a run the caller may not see. Past ScanPages store pages without
    // enough of them, the page ends short; a caller with runs far back narrows the query with ?pipeline= or from/to.
    private static async Task<List<RunSummary>> VisibleRunsAsync(IRunStore store, RunQuery query, string glob, CancellationToken cancellationToken)
    {
        const int ScanPages = 10;
        var visible = new List<RunSummary>();
        if (query.Pipeline is { } named && !PipelineGlob.Matches(glob, named))
        {
            return visible;
        }

        var batch = query with { Limit = MaxLimit };
        for (var read = 0; read < ScanPages && visible.Count < query.Limit; read++)
        {
            var rows = await store.ListRunsAsync(batch, cancellationToken);
            visible.AddRange(rows.Where(r => PipelineGlob.Matches(glob, r.Pipeline)));
            if (rows.Count < batch.Limit)
            {
                break;
            }

            batch = batch with { After = RunCursor.After(rows[^1]) };
        }

        return visible;
    }

    // `from` (inclusive) and `to` (exclusive) bound the requested time.
    private static (DateTimeOffset? From, DateTimeOffset? To, IResult? Problem) TimeRange(IQueryCollection query)
    {
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        foreach (var field in new[] { "from", "to" })
        {
            if (query[field].FirstOrDefault() is not { Length: > 0 } text)
            {
                continue;
            }

            if (!RunListStatus.TryParseTime(text, out var time))
            {
                return (null, null, ApiProblems.BadField(field, $"'{text}' is not a time; give {RunListStatus.TimeRule}"));
            }

            if (field == "from")
            {
                from = time;
            }
            else
            {
                to = time;
            }
        }

        return from >= to
            ? (null, null, ApiProblems.BadField("to", $"must be later than 'from' ({from:O}); 'to' is exclusive"))
            : (from, to, null);
    }

    private static async Task<IResult> TimelineAsync(string id, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        if (await committer.Store.GetRunAsync(id, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        var segments = RunTimeline.Of(await committer.Store.GetEventsAsync(id, cancellationToken));
        return Results.Ok(new
        {
            RunId = id,
            Items = segments.Select(s => new { Block = s.Key, s.Attempt, s.Kind, s.From, s.To, s.Outcome, s.Detail }),
        });
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        if (await committer.Store.GetRunAsync(id, cancellationToken) is not { } stored)
        {
            return ApiProblems.RunNotFound(id);
        }

        return Results.Ok(await RunJson.DetailAsync(committer, stored.State, RunLinks.BaseOf(context), cancellationToken));
    }

    private static async Task<IResult> CancelAsync(string id, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        if (await NoBodyFieldsAsync(request, "a cancel request", cancellationToken) is { } refused)
        {
            return refused;
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        if (await local.Store.GetRunAsync(id, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        var runtime = await (await sharedEngine.RouterAsync(cancellationToken)).RuntimeOfAsync(id, cancellationToken);
        var change = await runtime.CancelAsync(id, "cancelled through the HTTP API", cancellationToken);
        return change.Accepted
            ? Results.Accepted(RunLinks.Of(request.HttpContext, id), new { RunId = id, Status = change.Status.ToSnakeCase() })
            : ApiProblems.Conflict("Run cannot be cancelled", $"run {id}: {change.Rejection}");
    }

    private static async Task<IResult> RetryAsync(
        string id, HttpRequest request, PipelineCatalog catalog, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var (refresh, refused) = await RetryBody.ReadAsync(request, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        if (await local.Store.GetRunAsync(id, cancellationToken) is not { } stored)
        {
            return ApiProblems.RunNotFound(id);
        }

        var signal = new RetryFailedBlocks();
        if (refresh)
        {
            // The files as they are now, validated as for a new run; the run moves to them only if they are valid.
            // By folder too: a pipeline.yaml that does not parse has no name, and its errors are what the caller needs.
            var pipeline = catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == stored.State.Pipeline
                || Path.GetFileName(Path.GetDirectoryName(p.DisplayPath)) == stored.State.Pipeline);
            if (pipeline is not { IsValid: true })
            {
                return pipeline is null
                    ? ApiProblems.Conflict("Run cannot be refreshed", $"run {id}: pipeline '{stored.State.Pipeline}' is no longer in the project")
                    : ApiProblems.InvalidPipeline(pipeline);
            }

            signal = new RetryFailedBlocks(pipeline);
        }

        var runtime = await (await sharedEngine.RouterAsync(cancellationToken)).RuntimeOfAsync(id, cancellationToken);
        var change = await runtime.SignalAsync(id, signal, cancellationToken);
        return change.Accepted
            ? Results.Accepted(RunLinks.Of(request.HttpContext, id), new { RunId = id, Status = change.Status.ToSnakeCase() })
            : ApiProblems.Conflict("Run cannot be retried", $"run {id}: {change.Rejection}");
    }

    // Cancel and retry take no body. One that is sent must be JSON with no fields ({}), so that a field the caller
    // believes matters (a reason, a block to retry) is refused rather than silently dropped.
    private static async Task<IResult?> NoBodyFieldsAsync(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        return problem ?? (root is { } body ? KnownFields.Check(body, [], what) : null);
    }

    private static async Task<IResult> LogsAsync(string id, string? block, string? level, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        level = string.IsNullOrEmpty(level) ? LogLineFilter.DefaultLevel : level;
        if (!LogLineFilter.IsLevel(level))
        {
            return ApiProblems.BadField("level", $"'{level}' is not a log level; use one of {string.Join(", ", LogLineFilter.Levels)} (lines at that level and above are returned)");
        }

        var committer = (await sharedEngine.GetAsync(cancellationToken)).Committer;
        if (await committer.Store.GetRunAsync(id, cancellationToken) is not { } stored)
        {
            return ApiProblems.RunNotFound(id);
        }

        block = string.IsNullOrEmpty(block) ? null : block;
        if (block is not null && !stored.State.Blocks.ContainsKey(block))
        {
            return ApiProblems.BadField("block", $"run {id} has no block '{block}'; its blocks are {string.Join(", ", stored.State.Blocks.Keys.Where(k => !k.EndsWith(']')))}");
        }

        var lines = LogLineFilter.Select(await committer.Store.GetLogsAsync(id, block, cancellationToken), level);
        return Results.Ok(new { RunId = id, Items = lines.Select(l => new { l.At, l.Block, l.Attempt, l.Level, l.Message }) });
    }
}
