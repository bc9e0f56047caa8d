namespace Duraflow.Api.Auth;

/// <summary>Who checks callers.</summary>
internal enum ApiAuthMode
{
    /// <summary>The app checks the API key (or the dashboard's session cookie), or an Entra bearer token when Entra is
    /// configured; in the Functions app too, whose <c>api</c> function is anonymous to the host.</summary>
    ApiKey,

    /// <summary>Nobody: auth was switched off and only this machine can connect.</summary>
    Disabled,
}
