using Duraflow.Api.Auth;

namespace Duraflow.Api.Triggers;

/// <summary>Wires schedules and blob events into the trigger functions, the local server and the webhook.</summary>
internal static class TriggerSetup
{
    /// <summary>The webhook Event Grid (or a test) posts blob events to when there is no queue in between.</summary>
    public const string WebhookRoute = "/api/events/blob";

    public static void AddDuraflowTriggers(this IServiceCollection services)
    {
        services.AddSingleton<EngineScheduleTick>();
        services.AddSingleton<IScheduleTick>(s => s.GetRequiredService<EngineScheduleTick>());
        services.AddSingleton<EngineBlobEvents>();
        services.AddSingleton<IBlobEventSink>(s => s.GetRequiredService<EngineBlobEvents>());
        services.AddOptions<LocalTriggerOptions>().BindConfiguration(LocalTriggerOptions.Section);
        services.AddHostedService<LocalTriggers>();
        services.AddHostedService<BackfillPump>();
    }

    /// <summary>Maps the webhook at <see cref="WebhookRoute"/>.</summary>
    /// <param name="app">Where to map it.</param>
    public static void MapDuraflowWebhook(this IEndpointRouteBuilder app)
    {
        app.MapMethods(WebhookRoute, ["POST", "OPTIONS"], HandleWebhookAsync)
            .WithSummary("Event Grid deliveries of blob-created events (and their validation handshakes)").Requires(ApiPermission.Operate).AcrossPipelines().Audited("events.blob");
    }

    // Both handshakes (Event Grid's validation event, CloudEvents' OPTIONS) are answered by the engine's webhook
    // logic; deliveries start their runs before the reply, so a failure makes Event Grid deliver again.
    private static async Task HandleWebhookAsync(HttpContext context, EngineBlobEvents blobEvents, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var response = EventGridWebhook.Handle(context.Request.Method, headers, body);
        if (response.Status == StatusCodes.Status200OK && response.Events.Count > 0)
        {
            try
            {
                await blobEvents.DispatchAsync(response.Events, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                WebhookLog.DispatchFailed(loggers.CreateLogger(typeof(TriggerSetup).FullName!), response.Events.Count, e.Message, e);
                await Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Runs could not be started", detail: e.Message)
                    .ExecuteAsync(context);
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is { } text)
        {
            await context.Response.WriteAsync(text, cancellationToken);
        }
    }
}
