using System.Net;

namespace Duraflow.Api.Auth;

/// <summary>Picks the <see cref="ApiAuthMode"/> at start-up, and refuses to start an API that anyone could reach unchecked.</summary>
internal static class ApiAuthModes
{
    /// <summary>The shortest API key the Functions app takes: it is reachable from the whole internet.</summary>
    public const int ShortestInternetKey = 32;

    /// <summary>
    /// The mode for these settings and listening addresses (none means the default, localhost). Under the Functions
    /// host the app is on the internet, so it needs a key (or Entra) just as a server on a public address does.
    /// </summary>
    /// <exception cref="InvalidOperationException">No key or Entra, and auth is not disabled or the server is reachable
    /// from other machines; or the key is an unresolved Key Vault reference or, in Azure, too short; or Entra is half
    /// configured or its authority is not HTTPS.</exception>
    public static ApiAuthMode Resolve(ApiAuthOptions options, bool underFunctionsHost, IReadOnlyCollection<string> addresses)
    {
        CheckEntra(options.Auth.Entra);
        CheckKey(options.ApiKey, underFunctionsHost);
        if (underFunctionsHost && options.Auth.Disabled)
        {
            throw new InvalidOperationException("Duraflow__Auth__Disabled cannot apply in the Functions app, which the whole internet can reach: remove the setting, and sign callers in with the API key (Duraflow__ApiKey) or Entra ID");
        }

        if (!string.IsNullOrEmpty(options.ApiKey) || options.Auth.Entra.Enabled)
        {
            return ApiAuthMode.ApiKey;
        }

        if (underFunctionsHost)
        {
            throw new InvalidOperationException("the Functions app has no API key: set Duraflow__ApiKey, as infra/ does, to a Key Vault reference of the secret duraflow-api-key, which scripts/api-key.sh creates, or configure Entra ID (Duraflow__Auth__Entra__Authority and __Audience)");
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

    // App Service leaves a Key Vault reference it cannot resolve (no secret, no access) as its own text, which anyone
    // who has read the template could then send as the key.
    private static void CheckKey(string? key, bool underFunctionsHost)
    {
        if (string.IsNullOrEmpty(key))
        {
            return;
        }

        if (key.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Duraflow__ApiKey is a Key Vault reference the platform could not resolve, so the API takes no key: create the secret it names (scripts/api-key.sh does, and makes the platform read it again), and check the app's identity may read it (Key Vault Secrets User)");
        }

        if (underFunctionsHost && key.Length < ShortestInternetKey)
        {
            // The length itself is not said: this message is the answer to anyone who calls the app.
            throw new InvalidOperationException($"Duraflow__ApiKey is too short: the Functions app, which the whole internet can reach, takes keys of {ShortestInternetKey} characters or more (scripts/api-key.sh makes one of 64)");
        }
    }

    private static void CheckEntra(EntraAuthOptions entra)
    {
        if (string.IsNullOrWhiteSpace(entra.Authority) != string.IsNullOrWhiteSpace(entra.Audience))
        {
            throw new InvalidOperationException("Entra ID auth needs both Duraflow__Auth__Entra__Authority and Duraflow__Auth__Entra__Audience (configuration Duraflow:Auth:Entra:Authority and :Audience), or neither");
        }

        if (string.IsNullOrWhiteSpace(entra.DashboardClientId) != string.IsNullOrWhiteSpace(entra.DashboardScope))
        {
            throw new InvalidOperationException("Entra sign-in in the dashboard needs both Duraflow__Auth__Entra__DashboardClientId and Duraflow__Auth__Entra__DashboardScope (configuration Duraflow:Auth:Entra:DashboardClientId and :DashboardScope), or neither");
        }

        // RequiredRole grants admin; naming one of the lesser roles would make every viewer (or operator) an admin.
        if (entra.RequiredRole is { } required && ApiRoles.All.Where(r => r != ApiRole.Admin).Any(r => ApiRoles.AppRole(r) == required))
        {
            throw new InvalidOperationException($"Duraflow__Auth__Entra__RequiredRole '{required}' would make every holder of that app role an admin (RequiredRole grants admin); leave it out and assign the app roles Duraflow.Viewer, Duraflow.Operator and Duraflow.Admin instead");
        }

        if (!string.IsNullOrWhiteSpace(entra.DashboardClientId) && !entra.Enabled)
        {
            throw new InvalidOperationException("Duraflow__Auth__Entra__DashboardClientId needs Entra ID auth itself: set Duraflow__Auth__Entra__Authority and __Audience too");
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
