using Microsoft.DurableTask.Client;

namespace Duraflow.Functions;

/// <summary>
/// The <c>api</c> HTTP function: every request to the site (the dashboard at <c>/</c> and the API under <c>/api/</c>)
/// goes to the API's own request pipeline (<see cref="ApiPipeline"/>), the same middleware and endpoints
/// <c>duraflow serve</c> runs, which writes the response. The function is anonymous to the host
/// (<see cref="AuthorizationLevel.Anonymous"/>): a browser cannot carry function keys, so the app checks callers
/// itself, by the API key, the dashboard's session cookie or an Entra token, as it does under <c>duraflow serve</c>.
/// </summary>
/// <remarks>
/// The route is <c>{*path}</c> under host.json's empty route prefix, so every request reaches the worker with its
/// path unchanged (<c>/</c>, <c>/assets/app.js</c>, <c>/api/runs/...</c>) and the API's routes match it as they do on
/// Kestrel. The host's own routes (<c>/admin/*</c>, <c>/runtime/webhooks/*</c>) are the host's, ahead of any function.
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
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClients.Offer(client);
        return api.InvokeAsync(request.HttpContext);
    }
}
