namespace Duraflow.Api.Auth;

/// <summary>
/// The <c>Duraflow:Auth:Entra</c> section: when <see cref="Authority"/> and <see cref="Audience"/> are set, a request
/// with <c>Authorization: Bearer JWT</c> is accepted if the token validates against the authority's OpenID metadata.
/// </summary>
internal sealed class EntraAuthOptions
{
    /// <summary>The claim that lists a token's app roles.</summary>
    public const string RolesClaim = "roles";

    /// <summary>The token issuer, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its
    /// <c>/.well-known/openid-configuration</c> names the issuer and the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> tokens must carry: the app's client id or its App ID URI.</summary>
    public string? Audience { get; set; }

    /// <summary>An app role of the deployment's own that grants admin (see <see cref="EntraRoles"/>); none for none.</summary>
    public string? RequiredRole { get; set; }

    /// <summary>The client id of the app registration the dashboard signs users in as (a single-page application whose
    /// redirect URI is the dashboard's <c>/signin</c>); with <see cref="DashboardScope"/>, the sign-in page offers Entra.</summary>
    public string? DashboardClientId { get; set; }

    /// <summary>The scope the dashboard asks for, one of the API's, e.g. <c>api://duraflow/access_as_user</c>; the
    /// tokens it yields must carry <see cref="Audience"/>.</summary>
    public string? DashboardScope { get; set; }

    /// <summary>True when bearer tokens are checked.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);

    /// <summary>True when the dashboard's sign-in page offers Entra sign-in.</summary>
    public bool DashboardEnabled => Enabled && !string.IsNullOrWhiteSpace(DashboardClientId) && !string.IsNullOrWhiteSpace(DashboardScope);

    /// <summary>True when the authority is plain http on a loopback host, which only a local stand-in is; only then is
    /// its metadata fetched without HTTPS.</summary>
    public bool IsLoopbackHttp =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
