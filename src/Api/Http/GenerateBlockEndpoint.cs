using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Api.Generation;
using Duraflow.Engine.Projects;

namespace Duraflow.Api.Http;

/// <summary>
/// <c>POST /api/pipelines/{name}/blocks/generate</c> (admin: the block is code the server will run): writes a block
/// with the project's chat model, or a scaffold, and adds it to pipeline.yaml, only once it validates; the same as
/// <c>duraflow generate block</c> (docs/ai.md). Not in the Functions app, whose files are a deployed package.
/// </summary>
internal static class GenerateBlockEndpoint
{
    private static readonly string[] Fields = ["name", "kind", "describe", "dry_run", "template"];

    // Each generation holds a model call for up to minutes, several times over; a few at once is plenty for a team.
    private static readonly SemaphoreSlim AtOnce = new(2, 2);

    public static void MapGenerateBlockEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/pipelines/{name}/blocks/generate", HandleAsync)
            .WithSummary("Write a block with the project's chat model (or a scaffold) and add it to the pipeline, once it validates: { name, kind, describe, dry_run?, template? }")
            .Requires(ApiPermission.Administer)
            .Audited("block.generate", "pipeline:{name}");
    }

    private static async Task<IResult> HandleAsync(
        string name, HttpContext context, AppProject appProject, SharedEngine sharedEngine, ApiHosting hosting, CancellationToken cancellationToken)
    {
        var (request, template, problem) = await ReadAsync(name, context, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (hosting.UnderFunctionsHost)
        {
            return ApiProblems.Conflict("Generation is not served here",
                "the Functions app runs a deployed package whose files cannot change; generate blocks with duraflow generate block or duraflow serve, then deploy");
        }

        var project = appProject.Open();
        const string AskForTemplate = ", or send \"template\": true for a commented scaffold";
        try
        {
            BlockGeneration.CheckSettings(project, template, AskForTemplate);
        }
        catch (GenerationException e)
        {
            return Problem(e);
        }

        if (!await AtOnce.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Busy", detail: "blocks are being generated already; try again when one finishes");
        }

        try
        {
            var engine = await sharedEngine.GetAsync(cancellationToken);
            var generator = new BlockGenerator(project, CompiledBlocks.ForProject(project.Root, displayRoot: project.Root), profile: null);
            var result = await BlockGeneration.RunAsync(generator, project, request!, template, AskForTemplate, engine.Committer, progress: null, cancellationToken);
            return result.Valid
                ? Results.Json(Body(name, request!, result), statusCode: result.Written ? StatusCodes.Status201Created : StatusCodes.Status200OK)
                : Results.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "No answer validated",
                    detail: $"no answer validated after {result.Attempts} attempts, so nothing was written; the last one's problems: {string.Join(" | ", result.Problems)}",
                    extensions: new Dictionary<string, object?> { ["file"] = result.File, ["attempts"] = result.Attempts, ["problems"] = result.Problems, ["code"] = result.Code });
        }
        catch (GenerationException e)
        {
            return Problem(e);
        }
        finally
        {
            AtOnce.Release();
        }
    }

    private static IResult Problem(GenerationException e) => e.Failure switch
    {
        GenerationFailure.NoPipeline => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Pipeline not found", detail: e.Message),
        GenerationFailure.Model => Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The model failed", detail: e.Message + "; nothing was written"),
        GenerationFailure.NotConfigured => ApiProblems.Conflict("Generation is not configured", e.Message),
        _ => ApiProblems.Conflict("The block cannot be generated", e.Message + "; nothing was written"),
    };

    private static object Body(string pipeline, GenerationRequest request, GenerationResult result) => new
    {
        Pipeline = pipeline,
        Block = request.Name,
        result.File,
        result.Written,
        result.Attempts,
        result.Diff,
        result.Code,
    };

    private static async Task<(GenerationRequest? Request, bool Template, IResult? Problem)> ReadAsync(string pipeline, HttpContext context, CancellationToken cancellationToken)
    {
        var (root, problem) = await JsonRequestBody.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return (null, false, problem);
        }

        if (root is not { ValueKind: JsonValueKind.Object } body)
        {
            return (null, false, ApiProblems.BadField("name", "is required: send {\"name\": \"totals\", \"kind\": \"sql\", \"describe\": \"orders per day\"}"));
        }

        if (KnownFields.Check(body, Fields, "a block to generate") is { } unknown)
        {
            return (null, false, unknown);
        }

        var errors = new List<FieldError>();
        string Text(string field)
        {
            if (body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }

            errors.Add(new FieldError(field, value.ValueKind == JsonValueKind.Undefined ? "is required" : "must be text"));
            return "";
        }

        bool Flag(string field)
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            errors.Add(new FieldError(field, "must be true or false"));
            return false;
        }

        var (name, kindText, describe, dryRun, template) = (Text("name"), Text("kind"), Text("describe"), Flag("dry_run"), Flag("template"));
        var kind = GeneratedKinds.Parse(kindText);
        if (kind is null && kindText.Length > 0)
        {
            errors.Add(new FieldError("kind", $"'{kindText}' is not a block kind; use {GeneratedKinds.Choices}"));
        }

        if (errors.Count > 0)
        {
            return (null, false, ApiProblems.BadRequest(string.Join("; ", errors.Select(e => $"'{e.Field}': {e.Message}")), errors));
        }

        var request = new GenerationRequest(pipeline, name, kind!.Value, describe, dryRun);
        if (request.Problem() is var (field, message))
        {
            return (null, false, ApiProblems.BadField(field, message));
        }

        return (request, template, null);
    }
}
