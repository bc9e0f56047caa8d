namespace Duraflow.Functions.Auth;

/// <summary>Registers the API's authentication (see <see cref="ApiAuthStartupFilter"/>).</summary>
internal static class ApiAuthSetup
{
    public static IServiceCollection AddDuraflowApiAuth(this IServiceCollection services)
    {
        services.AddOptions<ApiAuthOptions>().BindConfiguration(ProjectOptions.Section);
        services.AddSingleton<ApiAuthState>();
        services.AddTransient<IStartupFilter, ApiAuthStartupFilter>();
        return services;
    }
}
