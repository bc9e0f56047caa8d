using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Duraflow.Functions.Tests;

/// <summary>
/// The Functions app's services, registered as Program.cs registers them (<see cref="FunctionsSetup.AddDuraflowFunctions"/>),
/// in a plain host: the Functions host cannot run here, so the tests resolve the function classes from these
/// services and call them as the worker would. The app is configured with <see cref="ApiKey"/> unless the test's
/// settings give <c>Duraflow:ApiKey</c> (empty for none).
/// </summary>
internal sealed class FunctionsApp : IAsyncDisposable
{
    /// <summary>The API key the app takes by default: as long as the Functions app requires.</summary>
    public const string ApiKey = "functions-test-key-0123456789abcdef0123456789";

    private readonly IHost _host;

    public FunctionsApp(string project, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = project, EnvironmentName = "Production" });
        var configuration = new Dictionary<string, string?> { ["Duraflow:ApiKey"] = ApiKey };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[name] = value;
        }

        configuration["Duraflow:Project"] = project;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddDuraflowFunctions(builder.Configuration);
        services?.Invoke(builder.Services);
        _host = builder.Build();
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>A function class, made as the worker makes one for an invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_host.Services);

    /// <summary>Starts the app's background services, as the worker does when the host starts it.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
