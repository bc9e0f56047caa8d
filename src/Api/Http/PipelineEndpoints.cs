using System.Reflection;
using System.Text.Json;
using Duraflow.Api.Auth;
using Duraflow.Blocks;
using Duraflow.Engine.Dag;

namespace Duraflow.Api.Http;

/// <summary>Health, and the read-only endpoints over pipeline definitions (docs/api.md); the run endpoints are <see cref="RunEndpoints"/>.</summary>
internal static class PipelineEndpoints
{
    /// <summary>
    /// Maps the health, pipeline, run, schedule, backfill, checkpoint, cache and audit endpoints and the OpenAPI
    /// document; and for the default workspace, the keys, sign-in and workspace list that serve every workspace.
    /// </summary>
    /// <param name="app">Where to map them.</param>
    public static void MapDuraflowEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", () => Results.Ok(new { Status = "healthy", Version = BuildVersion }))
            .WithSummary("The process is up (no key needed)").Open();
        app.MapGet("/api/pipelines", ListPipelines).WithSummary("The project's pipelines").Requires(ApiPermission.Read);
        app.MapGet("/api/pipelines/{name}", GetPipeline).WithSummary("One pipeline: parameters, blocks and graph").Requires(ApiPermission.Read);
        app.MapRunEndpoints();
        app.MapScheduleEndpoints();
        app.MapCacheEndpoints();
        app.MapBackfillEndpoints();
        app.MapCheckpointEndpoints();
        app.MapAuditEndpoints();
        app.MapDiagnosticsEndpoint();
        app.MapPipelineSourceEndpoint();
        app.MapGenerateBlockEndpoint();
        if (app.ServiceProvider.GetRequiredService<ServedWorkspace>() == ServedWorkspace.Default)
        {
            app.MapKeyEndpoints();
            app.MapSessionEndpoints();
            app.MapWorkspaceEndpoints();
        }

        app.MapOpenApi(ApiDocument.Route).WithSummary("This API's OpenAPI document").Requires(ApiPermission.Read);
    }

    // Each trigger as its kind and its settings; a schedule's zone is the project's when it names none (null here).
    private static object Trigger(Duraflow.Engine.Definitions.TriggerDefinition trigger) => trigger switch
    {
        Duraflow.Engine.Definitions.ScheduleTrigger s => (object)new
        {
            Kind = "schedule", Schedule = s.Text, s.Cron, Every = s.Interval is { } i ? Blocks.Text.Duration.Format(i.Every) : null, s.Interval?.Anchor,
            Description = Duraflow.Engine.Definitions.ScheduleWords.Describe(s), Timezone = s.TimeZone, CatchUp = s.CatchUp.ToString().ToLowerInvariant(),
        },
        Duraflow.Engine.Definitions.BlobCreatedTrigger b => new { Kind = "blob_created", b.Container, b.Prefix, b.Suffix, b.Connection },
        Duraflow.Engine.Definitions.HttpTrigger h => (object)new { Kind = "http", h.Enabled },
        _ => new { Kind = trigger.GetType().Name },
    };

    // The informational version, which is what `duraflow --version` prints: one build reports one version everywhere.
    private static string? BuildVersion { get; } =
        typeof(PipelineEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private static IResult ListPipelines(HttpContext context, PipelineCatalog catalog)
    {
        var validation = catalog.Validate();
        return Results.Ok(new
        {
            Items = validation.Pipelines.Where(p => p.Definition is not null && PipelineScopeMiddleware.Allows(context, p.Definition.Name)).Select(p => new
            {
                p.Definition!.Name,
                p.Definition.Description,
                p.Definition.Tags,
                Blocks = p.Definition.Blocks.Count,
                Valid = p.IsValid,
            }),
        });
    }

    private static IResult GetPipeline(string name, PipelineCatalog catalog)
    {
        var pipeline = catalog.Validate().Pipelines.FirstOrDefault(p => p.Definition?.Name == name);
        if (pipeline is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Pipeline not found", detail: $"the project has no pipeline '{name}'");
        }

        if (!pipeline.IsValid)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Pipeline definition is invalid",
                detail: $"pipeline '{name}' has {pipeline.Diagnostics.Count(d => d.IsError)} errors; fix them and run 'duraflow validate'",
                extensions: new Dictionary<string, object?> { ["errors"] = pipeline.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList() });
        }

        var definition = pipeline.Definition!;
        var graph = pipeline.Graph!;
        return Results.Ok(new
        {
            definition.Name,
            definition.Description,
            definition.Tags,
            Parameters = definition.Parameters.Select(p => new
            {
                p.Name,
                Type = p.Type.ToString().ToLowerInvariant(),
                p.Required,
                p.Secret,

                // The JSON value a run that omits the parameter gets, so an int default is a number and a date is ISO
                // text, whatever the server's culture.
                Default = p.Default is null ? (JsonElement?)null : BlockJson.ToElement(p.Default),
                Allowed = p.Allowed.Select(BlockJson.ToElement),
                p.Description,
            }),
            Triggers = definition.Triggers.Select(Trigger),
            Blocks = graph.TopologicalOrder.Select(b => new
            {
                b.Name,
                Uses = b.Uses.ToString(),
                Upstream = graph.Upstream(b.Name).Select(u => u.Name),
                Level = graph.Level(b.Name),
                b.FanOut,
                b.When,
            }),
            Mermaid = GraphRenderer.Render(definition.Name, graph, GraphFormat.Mermaid),
        });
    }
}
