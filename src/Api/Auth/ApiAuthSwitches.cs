namespace Duraflow.Api.Auth;

/// <summary>The <c>Duraflow:Auth</c> section.</summary>
internal sealed class ApiAuthSwitches
{
    /// <summary>Serve without a key; allowed only when the server listens on loopback addresses alone.</summary>
    public bool Disabled { get; set; }

    /// <summary>Entra ID bearer tokens; off unless both authority and audience are set.</summary>
    public EntraAuthOptions Entra { get; set; } = new();
}
