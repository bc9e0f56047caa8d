namespace Duraflow.Api.Auth;

/// <summary>
/// How the API authenticates callers (configuration section <c>Duraflow</c>): <c>Duraflow:ApiKey</c>
/// (<c>Duraflow__ApiKey</c>), <c>Duraflow:Auth:Disabled</c> (<c>Duraflow__Auth__Disabled</c>) and
/// <c>Duraflow:Auth:Entra:*</c> (<c>Duraflow__Auth__Entra__*</c>).
/// </summary>
internal sealed class ApiAuthOptions
{
    /// <summary>The key every <c>/api/*</c> request but <c>/api/health</c> must present. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Switches.</summary>
    public ApiAuthSwitches Auth { get; set; } = new();
}
