using Azure.Monitor.OpenTelemetry.Exporter;

namespace Duraflow.Functions.Api;

/// <summary>
/// Sends the app's request traces and HTTP metrics to Application Insights through OpenTelemetry, when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Functions app's setting); without it nothing is collected.
/// </summary>
/// <remarks>
/// ASP.NET Core emits its own activities and meters (<c>Microsoft.AspNetCore</c>), so no instrumentation package is
/// needed. Request URLs carry no keys: the API key travels in a header, which is not recorded.
/// </remarks>
internal static class ApiTelemetry
{
    /// <summary>The setting that switches telemetry on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection AddDuraflowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[ConnectionStringSetting] is not { Length: > 0 } connectionString)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("Microsoft.AspNetCore").AddAzureMonitorTraceExporter(o => o.ConnectionString = connectionString))
            .WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddAzureMonitorMetricExporter(o => o.ConnectionString = connectionString));
        return services;
    }
}
