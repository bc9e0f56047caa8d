using System.Text.Json;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>POST /api/runs/purge</c>: what <c>duraflow runs purge</c> does, over HTTP. The body names the age
/// (<c>older_than</c>), optionally one <c>pipeline</c>, a <c>dry_run</c> that only counts, and a <c>limit</c> on the
/// runs one request removes, so that a request over a large store ends in reasonable time (<c>more</c> says to ask again).
/// </summary>
internal static class PurgeRunsEndpoint
{
    /// <summary>The runs one request removes unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The most runs one request removes.</summary>
    public const int MaxLimit = 10_000;

    private static readonly string[] Fields = ["older_than", "pipeline", "dry_run", "limit"];

    public static async Task<IResult> HandleAsync(HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (root is { } fields && KnownFields.Check(fields, Fields, "a purge request") is { } unknown)
        {
            return unknown;
        }

        var body = root ?? default;
        var errors = new List<FieldError>();
        var age = ReadAge(body, errors);
        var pipeline = ReadPipeline(body, errors);
        var dryRun = ReadDryRun(body, errors);
        var limit = ReadLimit(body, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"'{e.Field}': {e.Message}")), errors);
        }

        var engine = await sharedEngine.GetAsync(cancellationToken);

        // The router purges the Durable history of durable runs; made now, so that it is there for this purge.
        await sharedEngine.RouterAsync(cancellationToken);
        var cutoff = PurgeAge.Cutoff(engine.Committer.Time.GetUtcNow(), age);
        if (dryRun)
        {
            return Results.Ok(RunPurgeJson.DryRun(cutoff, pipeline, await engine.Retention.CountAsync(cutoff, pipeline, cancellationToken)));
        }

        return Results.Ok(RunPurgeJson.Of(await engine.Retention.PurgeAsync(cutoff, pipeline, limit, cancellationToken), pipeline));
    }

    private static TimeSpan ReadAge(JsonElement body, List<FieldError> errors)
    {
        if (Member(body, "older_than") is not { } value)
        {
            errors.Add(new FieldError("older_than", $"is required: how long ago a run must have ended to be purged, such as \"30d\" ({PurgeAge.Examples})", "string"));
            return default;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError("older_than", $"must be a duration string such as \"30d\", not {Kind(value)}", "string"));
            return default;
        }

        if (!PurgeAge.TryParse(value.GetString(), out var age, out var why))
        {
            errors.Add(new FieldError("older_than", why));
        }

        return age;
    }

    private static string? ReadPipeline(JsonElement body, List<FieldError> errors)
    {
        if (Member(body, "pipeline") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } name)
        {
            errors.Add(new FieldError("pipeline", $"must be a pipeline's name, not {Kind(value)}; leave it out to purge the runs of every pipeline", "string"));
            return null;
        }

        return name;
    }

    private static bool ReadDryRun(JsonElement body, List<FieldError> errors)
    {
        switch (Member(body, "dry_run")?.ValueKind)
        {
            case null or JsonValueKind.False:
                return false;
            case JsonValueKind.True:
                return true;
            default:
                errors.Add(new FieldError("dry_run", $"must be true or false, not {Kind(body.GetProperty("dry_run"))}", "boolean"));
                return false;
        }
    }

    private static int ReadLimit(JsonElement body, List<FieldError> errors)
    {
        if (Member(body, "limit") is not { } value)
        {
            return DefaultLimit;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var limit) || limit < 1 || limit > MaxLimit)
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {MaxLimit} (the most runs one request purges; default {DefaultLimit}), not {Kind(value)}", "integer"));
            return DefaultLimit;
        }

        return limit;
    }

    // A member that is missing or null is not given.
    private static JsonElement? Member(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    // What the caller sent, for the message: the text of a small value, the kind of a large one.
    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: 0 } ? "an empty string" : $"the string {Shorten(value.GetRawText())}",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Shorten(value.GetRawText()),
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
