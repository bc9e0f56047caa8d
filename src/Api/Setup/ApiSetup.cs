using System.Diagnostics;
using Duraflow.Api.Auth;
using Duraflow.Api.Dashboard;
using Duraflow.Api.Http;
using Duraflow.Api.Mcp;
using Duraflow.Api.Triggers;
using Duraflow.Api.Workers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duraflow.Api.Setup;

/// <summary>
/// The one way to host the API: register its services with <see cref="AddDuraflowApi"/>, then either put it on an
/// app's request pipeline with <see cref="UseDuraflowApi"/> (the Kestrel server of <c>duraflow serve</c>) or build it
/// as a request pipeline of its own with <see cref="BuildDuraflowApi"/> (the Functions app's HTTP function hands each
/// request to it). Both run the same middleware and endpoints.
/// </summary>
internal static class ApiSetup
{
    /// <summary>Registers the API, its auth, the project's engine, the trigger handlers and the background work.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration; telemetry is switched on from it at registration.</param>
    /// <param name="hosting">Who hosts the API, and so who drives the triggers and delivers work.</param>
    /// <param name="workspace">The workspace these services serve; null for the default one, whose services also serve
    /// the other workspaces (<see cref="WorkspaceHosts"/>) and export telemetry for all.</param>
    public static IServiceCollection AddDuraflowApi(this IServiceCollection services, IConfiguration configuration, ApiHosting hosting, ServedWorkspace? workspace = null)
    {
        services.AddSingleton(hosting);
        services.AddSingleton(workspace ?? ServedWorkspace.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.AddRouting();

        // Routing's middleware needs the ASP.NET Core diagnostic listener, which web hosts register and a plain host
        // (one that hands requests to BuildDuraflowApi) may not; the same registration, so whichever comes first counts.
        services.TryAddSingleton(_ => new DiagnosticListener("Microsoft.AspNetCore"));
        services.TryAddSingleton<DiagnosticSource>(s => s.GetRequiredService<DiagnosticListener>());
        services.AddProblemDetails();
        services.AddSingleton<RunCursorKey>();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOptions<ProjectOptions>().BindConfiguration(ProjectOptions.Section);
        services.AddSingleton<AppProject>();
        services.AddSingleton<PipelineCatalog>();
        services.AddSingleton<RunLog>();
        services.AddSingleton<SharedEngine>();
        services.AddSingleton<SharedBackfills>();
        services.AddSingleton<CheckedApi>();

        // A host that reaches Durable another way (the Functions app: its extension's client) registers its own first.
        services.TryAddSingleton<IDurableConnection, LocalDurableConnection>();
        services.AddOpenApi(ApiDocument.Name, ApiDocument.Configure);
        services.AddDuraflowApiAuth();
        services.AddStartRateLimit(configuration);
        if (workspace is null)
        {
            // The engine's traces and metrics come from static sources, which the default workspace's exporter already
            // reads for every workspace; a second exporter would send each span twice.
            services.AddDuraflowTelemetry(configuration);
            services.AddSingleton(s => WorkspaceFolders.Read(configuration, s.GetRequiredService<IHostEnvironment>().ContentRootPath, s.GetRequiredService<AppProject>().Unchecked));
            services.AddSingleton<WorkspaceHosts>();
            services.AddHostedService<WorkspaceService>();
        }

        services.AddDuraflowTriggers();
        services.AddDuraflowWorkers();
        return services;
    }

    /// <summary>
    /// Adds the API to <paramref name="app"/>'s pipeline: error handling first, so that every error it answers is a
    /// problem+json (failures thrown by any later step, and the empty-bodied statuses such as 404 for an unknown
    /// route); then the caller check, so nothing runs for a caller without a credential; then the hand-over of other
    /// workspaces' requests to them (<see cref="WorkspaceRouting"/>); then the endpoints.
    /// </summary>
    /// <param name="app">The pipeline to add to.</param>
    /// <remarks>The auth mode is decided when the pipeline is built, once the server's addresses are known, and a
    /// server that anyone could reach unchecked fails to start there (see <see cref="ApiAuthModes.Resolve"/>).</remarks>
    public static IApplicationBuilder UseDuraflowApi(this IApplicationBuilder app)
    {
        // What follows is what MCP tools call, for a caller they know (so across workspaces too), error handling included.
        app.UseMiddleware<CheckedApiCapture>();
        app.UseMiddleware<RequestFailureMiddleware>();
        app.UseStatusCodePages(FrameworkProblems.WriteAsync);
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<WorkspaceRouting>();
        return app.UseCheckedApi();
    }

    /// <summary>The API of a workspace served beside the default one, for requests whose caller the server checked.</summary>
    /// <param name="services">The workspace's services, registered with <see cref="AddDuraflowApi"/>.</param>
    public static RequestDelegate BuildWorkspaceApi(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseMiddleware<RequestFailureMiddleware>();
        app.UseStatusCodePages(FrameworkProblems.WriteAsync);
        return app.UseCheckedApi().Build();
    }

    // What follows the caller check: routing, the audit, permissions, scopes, rate limits and the endpoints.
    private static IApplicationBuilder UseCheckedApi(this IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseMiddleware<AuditMiddleware>();
        app.UseMiddleware<PermissionMiddleware>();
        app.UseMiddleware<PipelineScopeMiddleware>();

        // After the caller is known: the limit is per caller.
        app.UseRateLimiter();
        app.UseEndpoints(endpoints => endpoints.MapDuraflowApi());
        return app;
    }

    /// <summary>The API as a request pipeline of its own, for a host that receives requests some other way.</summary>
    /// <param name="services">Services registered with <see cref="AddDuraflowApi"/>.</param>
    public static RequestDelegate BuildDuraflowApi(IServiceProvider services) => new ApplicationBuilder(services).UseDuraflowApi().Build();

    /// <summary>Maps every route of the API (docs/api.md) and the blob-event webhook.</summary>
    /// <param name="endpoints">Where to map them.</param>
    public static IEndpointRouteBuilder MapDuraflowApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDuraflowEndpoints();
        endpoints.MapDuraflowWebhook();

        // The dashboard's pages (its root, /, answers at once and opens nothing, as a host's probe of the root wants);
        // they show the default workspace.
        if (endpoints.ServiceProvider.GetRequiredService<ServedWorkspace>() == ServedWorkspace.Default)
        {
            endpoints.MapDashboard();
            endpoints.MapDuraflowMcp();
        }

        return endpoints;
    }
}
