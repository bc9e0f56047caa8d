using Duraflow.Api.Mcp;
using Duraflow.Api.Setup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Duraflow.Api.Tests;

/// <summary>
/// The API in a test server, hosted as <c>duraflow serve</c> hosts it (on its own: it ticks schedules and polls
/// queues itself unless the settings say otherwise): <see cref="ApiSetup.AddDuraflowApi"/> and
/// <see cref="ApiSetup.UseDuraflowApi"/>. Settings go in through <c>WithWebHostBuilder(b =&gt; b.UseSetting(...))</c>.
/// </summary>
/// <remarks>
/// The API is a library with no entry point or content folder of its own, so the factory builds the host itself and
/// serves from the test's output folder; tests name their project folder with <c>Duraflow:Project</c>.
/// </remarks>
public sealed class ApiFactory : WebApplicationFactory<ApiFactory>
{
    // Configuration files are not watched for changes: each watch takes an inotify instance, of which a Linux user has
    // 128, and the tests start hundreds of hosts.
    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["hostBuilder:reloadConfigOnChange"] = "false" }))
            .ConfigureWebHostDefaults(web => web
            .ConfigureServices((context, services) => services.AddDuraflowApi(context.Configuration, new ApiHosting(UnderFunctionsHost: false)).AddDuraflowMcpOverHttp())
            // WebApplication, which duraflow serve uses, adds the authentication middleware by itself when
            // authentication is registered; this host adds it too, so the tests meet what serve does.
            .Configure(app => app.UseAuthentication().UseDuraflowApi()));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
}
