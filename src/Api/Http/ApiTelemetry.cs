using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Duraflow.Engine.Runtime;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Duraflow.Api.Http;

/// <summary>
/// Sends the app's request traces and HTTP metrics, and the engine's spans and metrics of run commits and block
/// attempts (<see cref="EngineTelemetry"/>), through OpenTelemetry: to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Functions app's setting), to an OpenTelemetry collector
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to both when both are; without either nothing is collected. With
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> set to <c>Authorization=AAD</c> the Application Insights exporters
/// sign in with Entra ID, as a resource with local auth disabled requires.
/// </summary>
/// <remarks>
/// ASP.NET Core emits its own activities and meters (<c>Microsoft.AspNetCore</c>), so no instrumentation package is
/// needed. Request URLs carry no keys: the API key travels in a header, which is not recorded. The OTLP exporter reads
/// the standard <c>OTEL_EXPORTER_OTLP_*</c> settings itself (protocol, headers, timeout); only the endpoint is checked
/// here, so that a value it could not use stops start-up with a message instead of dropping telemetry quietly.
/// </remarks>
internal static class ApiTelemetry
{
    /// <summary>The setting that switches Application Insights on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The setting that makes telemetry sign in with Entra ID (see <see cref="TelemetryAuthentication"/>).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The standard setting that switches the OTLP exporter on: the collector's base URL.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name telemetry carries unless <c>OTEL_SERVICE_NAME</c> names another.</summary>
    public const string ServiceName = "duraflow";

    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static IServiceCollection AddDuraflowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionStringSetting] is { Length: > 0 } text ? text : null;
        var otlp = OtlpEndpoint(configuration[OtlpEndpointSetting]);
        if (connectionString is null && otlp is null)
        {
            return services;
        }

        // Parsed before anything is registered, so a malformed value stops start-up with its message.
        var credential = connectionString is null ? null : Credential(TelemetryAuthentication.Parse(configuration[AuthenticationStringSetting]));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName))
            .WithTracing(t =>
            {
                t.AddSource("Microsoft.AspNetCore", EngineTelemetry.Name);
                if (connectionString is not null)
                {
                    t.AddAzureMonitorTraceExporter(o => Configure(o, connectionString, credential));
                }

                if (otlp is not null)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter([.. AspNetCoreMeters, EngineTelemetry.Name]);
                if (connectionString is not null)
                {
                    m.AddAzureMonitorMetricExporter(o => Configure(o, connectionString, credential));
                }

                if (otlp is not null)
                {
                    m.AddOtlpExporter();
                }
            });
        return services;
    }

    private static Uri? OtlpEndpoint(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException(
                $"{OtlpEndpointSetting} must be the collector's http:// or https:// base URL, such as http://localhost:4317 (gRPC) or http://localhost:4318 with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf; it is '{value}'");
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
