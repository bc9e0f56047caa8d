namespace Duraflow.Api.Setup;

/// <summary>
/// Starts each workspace's host (its workers, schedules, folder watcher, backfills and retention) when the server
/// starts, and stops them when it stops. A misconfigured workspace stops the server's start with its message.
/// </summary>
internal sealed class WorkspaceService(WorkspaceHosts hosts, ApiHosting hosting, IHostApplicationLifetime server) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The Functions app refuses workspaces on every request instead (ApiPipeline's 503), as it does other settings.
        if (hosting.UnderFunctionsHost)
        {
            return;
        }

        foreach (var host in hosts.All.Values)
        {
            await host.Host.StartAsync(cancellationToken).ConfigureAwait(false);

            // When the server starts stopping, so do its workspaces: what ends on stopping (a run's event stream) ends
            // then, not after the server has waited out its requests (which would wait for those streams).
            var workspace = host.Host.Services.GetRequiredService<IHostApplicationLifetime>();
            server.ApplicationStopping.Register(workspace.StopApplication);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (hosting.UnderFunctionsHost)
        {
            return;
        }

        await Task.WhenAll(hosts.All.Values.Select(h => h.Host.StopAsync(cancellationToken))).ConfigureAwait(false);
    }
}
