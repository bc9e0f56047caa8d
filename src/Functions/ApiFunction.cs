using Microsoft.DurableTask.Client;

namespace Duraflow.Functions;

/// <summary>
/// The <c>api</c> HTTP function: every request under <c>/api/</c> goes to the API's own request pipeline
/// (<see cref="ApiPipeline"/>), the same middleware and endpoints <c>duraflow serve</c> runs, which writes the
/// response. The host has checked the function key first (<see cref="AuthorizationLevel.Function"/>); the API adds
/// the Entra check when it is configured.
/// </summary>
/// <remarks>
/// The route is <c>{*path}</c> under host.json's route prefix <c>api</c>, so the request reaches the worker with its
/// path unchanged (<c>/api/runs/...</c>) and the API's routes match it as they do on Kestrel.
/// </remarks>
/// <param name="api">The API's request pipeline.</param>
/// <param name="durableClients">Where the invocation's durable client is offered, for the runs the API starts on the Durable runtime.</param>
internal sealed class ApiFunction(ApiPipeline api, DurableClientSlot durableClients)
{
    /// <summary>Hands one request to the API.</summary>
    /// <param name="request">The request, as the host forwarded it.</param>
    /// <param name="client">The durable client binding, offered to <see cref="DurableClientSlot"/> before the API runs.</param>
    [Function(FunctionNames.Api)]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClients.Offer(client);
        return api.InvokeAsync(request.HttpContext);
    }
}
