using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Duraflow.Engine.Runtime;

namespace Duraflow.Api.Http;

/// <summary>
/// Sends the app's request traces and HTTP metrics, and the engine's spans and metrics of run commits and block
/// attempts (<see cref="EngineTelemetry"/>), to Application Insights through OpenTelemetry, when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Functions app's setting); without it nothing is collected.
/// With <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> set to <c>Authorization=AAD</c> the exporters sign in with
/// Entra ID, as a resource with local auth disabled requires.
/// </summary>
/// <remarks>
/// ASP.NET Core emits its own activities and meters (<c>Microsoft.AspNetCore</c>), so no instrumentation package is
/// needed. Request URLs carry no keys: the API key travels in a header, which is not recorded.
/// </remarks>
internal static class ApiTelemetry
{
    /// <summary>The setting that switches telemetry on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The setting that makes telemetry sign in with Entra ID (see <see cref="TelemetryAuthentication"/>).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddDuraflowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[ConnectionStringSetting] is not { Length: > 0 } connectionString)
        {
            return services;
        }

        // Parsed before anything is registered, so a malformed value stops start-up with its message.
        var credential = Credential(TelemetryAuthentication.Parse(configuration[AuthenticationStringSetting]));
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("Microsoft.AspNetCore", EngineTelemetry.Name).AddAzureMonitorTraceExporter(o => Configure(o, connectionString, credential)))
            .WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", EngineTelemetry.Name)
                .AddAzureMonitorMetricExporter(o => Configure(o, connectionString, credential)));
        return services;
    }

    private static TokenCredential? Credential(EntraTelemetryCredential? entra) => entra switch
    {
        null => null,
        { ClientId: { } clientId } => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
        _ => new DefaultAzureCredential(),
    };

    private static void Configure(AzureMonitorExporterOptions options, string connectionString, TokenCredential? credential)
    {
        options.ConnectionString = connectionString;
        if (credential is not null)
        {
            options.Credential = credential;
        }
    }
}
