using Duraflow.Api.Mcp;

namespace Duraflow.Api.Setup;

/// <summary>The API on Kestrel, working on runs itself: what <c>duraflow serve</c> runs.</summary>
internal static class LocalServer
{
    /// <summary>Builds the server; ASP.NET's usual settings (<c>--urls</c>, <c>appsettings.json</c>, environment) apply.</summary>
    /// <param name="args">Command-line configuration, such as <c>--urls</c> and <c>--Duraflow:Project</c>.</param>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDuraflowApi(builder.Configuration, new ApiHosting(UnderFunctionsHost: false));
        builder.Services.AddDuraflowMcpOverHttp();
        var app = builder.Build();
        app.UseDuraflowApi();
        return app;
    }
}
