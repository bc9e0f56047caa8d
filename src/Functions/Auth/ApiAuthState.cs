namespace Duraflow.Functions.Auth;

/// <summary>The <see cref="ApiAuthMode"/> chosen when the server started.</summary>
internal sealed class ApiAuthState
{
    public ApiAuthMode Mode { get; set; } = ApiAuthMode.ApiKey;
}
