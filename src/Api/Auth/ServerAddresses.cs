using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Duraflow.Api.Auth;

/// <summary>Where a server listens, for the decision whether other machines can reach it.</summary>
internal static class ServerAddresses
{
    /// <summary>
    /// The server's addresses as configured (urls, ASPNETCORE_URLS, --urls) and Kestrel endpoints from configuration;
    /// none means Kestrel's default, localhost.
    /// </summary>
    /// <param name="services">The host's services: the <see cref="IServer"/>, when there is one, and the configuration.</param>
    public static List<string> Of(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count == 0 && configuration["urls"] is { Length: > 0 } urls)
        {
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses;
    }
}
