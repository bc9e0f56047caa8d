using System.Text.Json;
using Duraflow.Api.Auth;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>/api/keys</c> (admin): list the stored keys, create one (its text is in the answer, and only there), revoke one
/// by name. The same as <c>duraflow keys list|create|revoke</c>.
/// </summary>
internal static class KeyEndpoints
{
    private static readonly string[] Fields = ["name", "role", "pipelines", "workspace", "expires_in"];

    public static void MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/keys", ListAsync).WithSummary("The API keys, revoked and expired ones too (never their secrets)").Requires(ApiPermission.Administer).AcrossPipelines().AcrossWorkspaces();
        app.MapPost("/api/keys", CreateAsync).WithSummary("Create an API key: { name, role, pipelines?, workspace?, expires_in? }; the key is shown once").Requires(ApiPermission.Administer).AcrossPipelines().AcrossWorkspaces().Audited("key.create");
        app.MapDelete("/api/keys/{name}", RevokeAsync).WithSummary("Revoke the API key of this name").Requires(ApiPermission.Administer).AcrossPipelines().AcrossWorkspaces().Audited("key.revoke", "key:{name}");
    }

    private static async Task<IResult> ListAsync(SharedEngine sharedEngine, TimeProvider time, CancellationToken cancellationToken)
    {
        var engine = await sharedEngine.GetAsync(cancellationToken);
        return Results.Ok(KeyJson.List(await KeyCreation.Of(engine.Store).ListKeysAsync(cancellationToken), time.GetUtcNow()));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SharedEngine sharedEngine, TimeProvider time, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (root is not { ValueKind: JsonValueKind.Object } body)
        {
            return ApiProblems.BadField("name", "is required: send {\"name\": \"ci\", \"role\": \"operator\"}");
        }

        if (KnownFields.Check(body, Fields, "a key") is { } unknown)
        {
            return unknown;
        }

        string? Text(string field, out IResult? bad)
        {
            bad = null;
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                bad = ApiProblems.BadField(field, "must be text");
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }

        var name = Text("name", out var badName);
        var role = Text("role", out var badRole);
        var pipelines = Text("pipelines", out var badPipelines);
        var workspace = Text("workspace", out var badWorkspace);
        var expiresIn = Text("expires_in", out var badExpiry);
        if ((badName ?? badRole ?? badPipelines ?? badWorkspace ?? badExpiry) is { } wrongType)
        {
            return wrongType;
        }

        if (name is null || role is null)
        {
            return ApiProblems.BadField(name is null ? "name" : "role", "is required");
        }

        var (parsedRole, life, refusal) = KeyCreation.Check(name, role, pipelines, workspace, expiresIn);
        if (refusal is not null)
        {
            return ApiProblems.BadField(refusal.Field, refusal.Problem);
        }

        var engine = await sharedEngine.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var (key, text, taken) = await KeyCreation.CreateAsync(
            KeyCreation.Of(engine.Store), name, parsedRole, pipelines, workspace, life, CallerIdentity.Of(context), now, cancellationToken);
        return taken is not null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: taken.Problem)
            : Results.Json(KeyJson.Created(key!, text!, now), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(string name, SharedEngine sharedEngine, StoredKeyCheck checks, TimeProvider time, CancellationToken cancellationToken)
    {
        var engine = await sharedEngine.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (await KeyCreation.Of(engine.Store).RevokeKeyAsync(name, now, cancellationToken) is not { } revoked)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"no key named '{name}' is active");
        }

        // Effective at once here; other instances stop taking it within StoredKeyCheck.Fresh.
        checks.Revoked(revoked);
        return Results.Ok(KeyJson.Of(revoked, now));
    }
}
