using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Engine.Definitions;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>GET /api/pipelines/{name}/checkpoints</c>, <c>PUT</c> and <c>DELETE …/checkpoints/{checkpoint}</c>, and
/// <c>DELETE …/checkpoints</c>: a pipeline's watermarks, seen, set and reset by hand as <c>duraflow checkpoints</c> does.
/// </summary>
internal static class CheckpointEndpoints
{
    private static readonly string[] Fields = ["value"];

    public static void MapCheckpointEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pipelines/{name}/checkpoints", ListAsync).WithSummary("The pipeline's checkpoints (watermarks)").Requires(ApiPermission.Read);
        app.MapPut("/api/pipelines/{name}/checkpoints/{checkpoint}", SetAsync).WithSummary("Set one checkpoint: { \"value\": … }").Requires(ApiPermission.Administer).Audited("checkpoint.set", "pipeline:{name}/checkpoint:{checkpoint}");
        app.MapDelete("/api/pipelines/{name}/checkpoints/{checkpoint}", ResetOneAsync).WithSummary("Reset one checkpoint: the next run starts from none").Requires(ApiPermission.Administer).Audited("checkpoint.reset", "pipeline:{name}/checkpoint:{checkpoint}");
        app.MapDelete("/api/pipelines/{name}/checkpoints", ResetAllAsync).WithSummary("Reset every checkpoint of the pipeline").Requires(ApiPermission.Administer).Audited("checkpoints.reset", "pipeline:{name}");
    }

    private static async Task<IResult> ListAsync(string name, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        if (BadPipeline(name) is { } bad)
        {
            return bad;
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        return Results.Ok(CheckpointJson.List(name, await local.Store.ListCheckpointsAsync(name, cancellationToken)));
    }

    private static async Task<IResult> SetAsync(string name, string checkpoint, HttpRequest request, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        if ((BadPipeline(name) ?? BadName(checkpoint)) is { } bad)
        {
            return bad;
        }

        var (root, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (root is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("value", out var value))
        {
            return ApiProblems.BadField("value", "is required: the checkpoint's new JSON value, as in { \"value\": 1200 }");
        }

        if (KnownFields.Check(body, Fields, "a checkpoint") is { } unknown)
        {
            return unknown;
        }

        if (Blocks.CheckpointLimits.ValueProblem(value.GetRawText()) is { } tooLarge)
        {
            return ApiProblems.BadField("value", tooLarge);
        }

        var local = await sharedEngine.GetAsync(cancellationToken);
        await local.Store.SetCheckpointAsync(name, checkpoint, value.Clone(), cancellationToken);
        var set = (await local.Store.ListCheckpointsAsync(name, cancellationToken)).FirstOrDefault(c => c.Name == checkpoint);
        return set is null ? Results.Ok(new { Name = checkpoint, Value = value }) : Results.Ok(CheckpointJson.Of(set));
    }

    private static Task<IResult> ResetOneAsync(string name, string checkpoint, SharedEngine sharedEngine, CancellationToken cancellationToken) =>
        (BadPipeline(name) ?? BadName(checkpoint)) is { } bad ? Task.FromResult(bad) : ResetAsync(name, checkpoint, sharedEngine, cancellationToken);

    private static Task<IResult> ResetAllAsync(string name, SharedEngine sharedEngine, CancellationToken cancellationToken) =>
        BadPipeline(name) is { } bad ? Task.FromResult(bad) : ResetAsync(name, null, sharedEngine, cancellationToken);

    private static async Task<IResult> ResetAsync(string name, string? checkpoint, SharedEngine sharedEngine, CancellationToken cancellationToken)
    {
        var local = await sharedEngine.GetAsync(cancellationToken);
        return Results.Ok(CheckpointJson.Deleted(name, checkpoint, await local.Store.DeleteCheckpointsAsync(name, checkpoint, cancellationToken)));
    }

    private static IResult? BadPipeline(string name) =>
        Names.IsValid(name) ? null : ApiProblems.BadField("name", $"is not a pipeline name; names are {Names.Rule}");

    private static IResult? BadName(string checkpoint) =>
        Blocks.CheckpointLimits.NameProblem(checkpoint) is { } why ? ApiProblems.BadField("checkpoint", $"the checkpoint name {why}") : null;
}
