namespace Duraflow.Api.Auth;

/// <summary>Who checks callers.</summary>
internal enum ApiAuthMode
{
    /// <summary>The Functions host checked the function key before forwarding; the app trusts what reaches it, except
    /// that it also requires an Entra bearer token when Entra is configured.</summary>
    FunctionsHost,

    /// <summary>The app checks the API key, or an Entra bearer token when Entra is configured.</summary>
    ApiKey,

    /// <summary>Nobody: auth was switched off and only this machine can connect.</summary>
    Disabled,
}
