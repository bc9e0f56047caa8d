using System.Globalization;
using Duraflow.Api;
using Duraflow.Engine.Storage;

namespace Duraflow.Functions.Handler;

/// <summary>The custom-handler side of the app: where it listens, and the routes the host invokes the non-HTTP functions on.</summary>
internal static class HandlerSetup
{
    /// <summary>Under the Functions host, listen only where the host forwards to; locally, ASP.NET's usual URL settings apply.</summary>
    /// <param name="builder">The app's builder.</param>
    public static void ListenWhereTheFunctionsHostForwards(this WebApplicationBuilder builder)
    {
        if (Environment.GetEnvironmentVariable(FunctionsHost.CustomHandlerPortVariable) is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{int.Parse(port, CultureInfo.InvariantCulture)}"));
        }
    }

    /// <summary>Maps <c>POST /{function}</c> for each non-HTTP function (no <c>/api</c> prefix: the host calls these paths itself).</summary>
    /// <param name="app">The app; the routes go through the API's pipeline, error handling and caller check included.</param>
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
