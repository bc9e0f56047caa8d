using Duraflow.Api;
using Duraflow.Api.Setup;
using Microsoft.Extensions.Configuration;

namespace Duraflow.Functions;

/// <summary>
/// The app's services: the API, registered as hosted by the Functions host, its request pipeline for the <c>api</c>
/// function, and the slot the functions offer their durable client to.
/// </summary>
internal static class FunctionsSetup
{
    /// <summary>Registers what the functions need.</summary>
    /// <param name="services">The worker's services.</param>
    /// <param name="configuration">The worker's configuration (app settings).</param>
    public static IServiceCollection AddDuraflowFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        // The host's timer and queue functions drive schedules and deliver work, so the app neither ticks nor polls;
        // the api function is anonymous to the host, and the API checks callers itself, as under duraflow serve.
        // Durable runs reach the host's Durable Task extension through the client the functions offer; registered
        // before the API, whose own default would start a Durable host in this process.
        services.AddSingleton<DurableClientSlot>();
        services.AddSingleton<IDurableConnection, FunctionsDurableConnection>();
        services.AddDuraflowApi(configuration, new ApiHosting(UnderFunctionsHost: true));
        services.AddSingleton<ApiPipeline>();
        return services;
    }
}
