namespace Duraflow.Api.Workers;

/// <summary>Registers the engine's background work in the app's process (<see cref="EngineBackgroundWork"/>).</summary>
internal static class WorkerSetup
{
    /// <summary>The worker options and the background service.</summary>
    /// <param name="services">The host's services.</param>
    public static IServiceCollection AddDuraflowWorkers(this IServiceCollection services)
    {
        services.AddOptions<LocalWorkerOptions>().BindConfiguration(LocalWorkerOptions.Section);
        services.AddHostedService<EngineBackgroundWork>();
        return services;
    }
}
