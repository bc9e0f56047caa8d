using Duraflow.Engine.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duraflow.Functions.Handler;

/// <summary>Registers and maps the custom-handler side of the app: the trigger functions and, locally, the queue pollers.</summary>
internal static class HandlerSetup
{
    /// <summary>Services of the trigger functions and the local workers; the schedule and blob-event handlers come from AddDuraflowTriggers.</summary>
    public static void AddDuraflowHandler(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LocalWorkerOptions>().BindConfiguration(LocalWorkerOptions.Section);
        services.AddHostedService<EngineBackgroundWork>();
    }

    /// <summary>Maps <c>POST /{function}</c> for each non-HTTP function (no <c>/api</c> prefix: the host calls these paths itself).</summary>
    public static void MapDuraflowFunctions(this WebApplication app)
    {
        app.MapPost("/" + FunctionNames.Orchestration, (HttpRequest request, SharedEngine engine, CancellationToken ct) =>
            QueueFunctions.InvokeAsync(WorkQueues.Orchestration, request, engine, ct));
        app.MapPost("/" + FunctionNames.Blocks, (HttpRequest request, SharedEngine engine, CancellationToken ct) =>
            QueueFunctions.InvokeAsync(WorkQueues.Blocks, request, engine, ct));
        app.MapPost("/" + FunctionNames.Schedule, TriggerFunctions.ScheduleAsync);
        app.MapPost("/" + FunctionNames.BlobEvents, TriggerFunctions.BlobEventsAsync);
    }
}
