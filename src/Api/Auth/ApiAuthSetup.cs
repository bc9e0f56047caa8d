using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Duraflow.Api.Auth;

/// <summary>Registers the API's authentication (see <see cref="ApiKeyMiddleware"/>).</summary>
internal static class ApiAuthSetup
{
    public static IServiceCollection AddDuraflowApiAuth(this IServiceCollection services)
    {
        services.AddOptions<ApiAuthOptions>().BindConfiguration(ProjectOptions.Section);
        services.AddSingleton(s => new ApiAuthState(() => ApiAuthModes.Resolve(
            s.GetRequiredService<IOptions<ApiAuthOptions>>().Value, s.GetRequiredService<ApiHosting>().UnderFunctionsHost, ServerAddresses.Of(s))));

        // No key, no sessions: a hash of nothing matches no key and signs no cookie that IsValid takes.
        services.AddSingleton(s => new SessionCookie(
            s.GetRequiredService<IOptions<ApiAuthOptions>>().Value.ApiKey is { Length: > 0 } key ? System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)) : [],
            s.GetService<TimeProvider>() ?? TimeProvider.System));

        services.AddSingleton(s => new StoredKeyCheck(s.GetRequiredService<SharedEngine>(), s.GetService<TimeProvider>() ?? TimeProvider.System));

        // Registered always, used only when Duraflow:Auth:Entra is set: ApiKeyMiddleware asks the first scheme to
        // authenticate requests that carry a bearer token, and the second to check the token a dashboard signed in
        // with Entra keeps in its cookie (EntraSession). Two schemes also mean no default one, so nothing (such as the
        // authentication middleware WebApplication adds by itself) runs a scheme before the API asks for it: a handler
        // keeps its first result for the rest of the request.
        services.AddAuthentication().AddJwtBearer().AddJwtBearer(EntraSession.Scheme);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<ApiAuthOptions>>((jwt, auth) => ConfigureEntra(jwt, auth.Value.Auth.Entra));
        services.AddOptions<JwtBearerOptions>(EntraSession.Scheme)
            .Configure<IOptions<ApiAuthOptions>>((jwt, auth) =>
            {
                ConfigureEntra(jwt, auth.Value.Auth.Entra);
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        context.Token = EntraSession.TokenFor(context.HttpContext);
                        return Task.CompletedTask;
                    },
                };
            });
        return services;
    }

    private static void ConfigureEntra(JwtBearerOptions jwt, EntraAuthOptions entra)
    {
        if (!entra.Enabled)
        {
            return;
        }

        // Issuer and signing keys come from the authority's /.well-known/openid-configuration and its JWKS.
        jwt.Authority = entra.Authority;
        jwt.Audience = entra.Audience;
        // Metadata over plain http only for a loopback authority (a local stand-in); ApiAuthModes refuses other http.
        jwt.RequireHttpsMetadata = !entra.IsLoopbackHttp;
        // Keep the token's own claim names, so the app roles stay in "roles".
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.ValidateIssuer = true;
        jwt.TokenValidationParameters.ValidateAudience = true;
        jwt.TokenValidationParameters.ValidateLifetime = true;
        jwt.TokenValidationParameters.ValidateIssuerSigningKey = true;
        jwt.TokenValidationParameters.RoleClaimType = EntraAuthOptions.RolesClaim;
    }
}
