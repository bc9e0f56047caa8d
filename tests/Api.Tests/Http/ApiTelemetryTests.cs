using System.Net;
using Duraflow.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Duraflow.Api.Tests.Http;

public sealed class ApiTelemetryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Telemetry_IsOnOnlyWithAnApplicationInsightsConnectionString()
    {
        using var off = Factory(null);
        Assert.Null(off.Services.GetService<TracerProvider>());

        // An ingestion endpoint nothing listens on: the exporter's failed sends must not disturb requests.
        using var on = Factory("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        Assert.NotNull(on.Services.GetService<TracerProvider>());
        using var client = on.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Telemetry_WithEntraAuthentication_Starts_AndAMalformedSettingStopsStartUp()
    {
        const string connectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
        using var entra = Factory(connectionString, "ClientId=3f2504e0-4f89-11d3-9a0c-0305e82c3301;Authorization=AAD");
        Assert.NotNull(entra.Services.GetService<TracerProvider>());

        using var malformed = Factory(connectionString, "Authorization=Key");
        var error = Assert.Throws<InvalidOperationException>(() => malformed.Services);
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be", error.Message, StringComparison.Ordinal);
    }

    private WebApplicationFactory<ApiFactory> Factory(string? connectionString, string? authenticationString = null) =>
        new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.Root).UseSetting("Duraflow:Auth:Disabled", "true");
            if (connectionString is not null)
            {
                b.UseSetting("APPLICATIONINSIGHTS_CONNECTION_STRING", connectionString);
            }

            if (authenticationString is not null)
            {
                b.UseSetting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", authenticationString);
            }
        });
}
