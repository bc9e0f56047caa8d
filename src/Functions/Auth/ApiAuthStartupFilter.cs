using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Duraflow.Functions.Auth;

/// <summary>
/// Decides the auth mode when the server starts, once its addresses are known, and fails the start (rather than
/// serving an open API) when there is no key for an API other machines can reach. Then adds the key check first in
/// the pipeline, so nothing runs for a caller without the key.
/// </summary>
internal sealed class ApiAuthStartupFilter(IServer server, IConfiguration configuration, IOptions<ApiAuthOptions> options, ApiAuthState state) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var underFunctionsHost = FunctionsHost.IsActive;
        state.Mode = ApiAuthModes.Resolve(options.Value, underFunctionsHost, Addresses());
        app.UseMiddleware<ApiKeyMiddleware>();
        next(app);
    };

    // The server's addresses as configured (urls, ASPNETCORE_URLS, --urls) and Kestrel endpoints from configuration;
    // none means Kestrel's default, localhost.
    private List<string> Addresses()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count == 0 && configuration["urls"] is { Length: > 0 } urls)
        {
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses;
    }
}
