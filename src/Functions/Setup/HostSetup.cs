using System.Globalization;
using Duraflow.Functions.Api;
using Duraflow.Functions.Auth;
using Microsoft.AspNetCore.Http.Json;

namespace Duraflow.Functions.Setup;

/// <summary>Host configuration shared by the custom handler and the local server.</summary>
internal static class HostSetup
{
    public static void ConfigureDuraflowHost(this WebApplicationBuilder builder)
    {
        // Under the Functions host, listen only where the host forwards to; locally, ASP.NET's usual URL settings apply.
        if (Environment.GetEnvironmentVariable(FunctionsHost.CustomHandlerPortVariable) is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{int.Parse(port, CultureInfo.InvariantCulture)}"));
        }

        builder.Services.AddProblemDetails();

        // Before the auth filter, so its middleware runs first and error handling covers every request.
        builder.Services.AddTransient<IStartupFilter, ApiErrorsStartupFilter>();
        builder.Services.AddSingleton<RunCursorKey>();
        builder.Services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddOptions<ProjectOptions>().BindConfiguration(ProjectOptions.Section);
        builder.Services.AddSingleton<AppProject>();
        builder.Services.AddSingleton<PipelineCatalog>();
        builder.Services.AddSingleton<RunLog>();
        builder.Services.AddSingleton<SharedEngine>();
        builder.Services.AddDuraflowApiAuth();
        builder.Services.AddDuraflowTelemetry(builder.Configuration);
    }
}
