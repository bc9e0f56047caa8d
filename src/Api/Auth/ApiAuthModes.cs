using System.Net;

namespace Duraflow.Api.Auth;

/// <summary>Picks the <see cref="ApiAuthMode"/> at start-up, and refuses to start an API that anyone could reach unchecked.</summary>
internal static class ApiAuthModes
{
    /// <summary>The mode for these settings and listening addresses (none means the default, localhost).</summary>
    /// <exception cref="InvalidOperationException">No key or Entra, and auth is not disabled or the server is reachable
    /// from other machines; or Entra is half configured or its authority is not HTTPS.</exception>
    public static ApiAuthMode Resolve(ApiAuthOptions options, bool underFunctionsHost, IReadOnlyCollection<string> addresses)
    {
        CheckEntra(options.Auth.Entra);
        if (underFunctionsHost)
        {
            return ApiAuthMode.FunctionsHost;
        }

        if (!string.IsNullOrEmpty(options.ApiKey) || options.Auth.Entra.Enabled)
        {
            return ApiAuthMode.ApiKey;
        }

        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (options.Auth.Disabled && exposed.Count == 0)
        {
            return ApiAuthMode.Disabled;
        }

        throw new InvalidOperationException(exposed.Count > 0
            ? $"the API listens on {string.Join(", ", exposed)}, which other machines can reach, and has no API key: set Duraflow__ApiKey (configuration Duraflow:ApiKey), or listen on 127.0.0.1 only"
            : "the API has no API key: set Duraflow__ApiKey (configuration Duraflow:ApiKey), or, since it listens on this machine only, set Duraflow__Auth__Disabled=true to serve without one");
    }

    private static void CheckEntra(EntraAuthOptions entra)
    {
        if (string.IsNullOrWhiteSpace(entra.Authority) != string.IsNullOrWhiteSpace(entra.Audience))
        {
            throw new InvalidOperationException("Entra ID auth needs both Duraflow__Auth__Entra__Authority and Duraflow__Auth__Entra__Audience (configuration Duraflow:Auth:Entra:Authority and :Audience), or neither");
        }

        if (entra.Enabled && !entra.IsLoopbackHttp
            && !(Uri.TryCreate(entra.Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Duraflow:Auth:Entra:Authority must be an absolute https URL, such as https://login.microsoftonline.com/TENANT/v2.0 (plain http is allowed for a loopback host only); it is '{entra.Authority}'");
        }
    }

    /// <summary>True for an address only this machine can connect to: localhost, 127.0.0.0/8, ::1.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        // Pipes and Unix sockets are files of this machine.
        if (parsed.IsNamedPipe || parsed.Host.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
