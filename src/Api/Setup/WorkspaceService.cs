namespace Duraflow.Api.Setup;

/// <summary>
/// Starts each workspace's host (its workers, schedules, folder watcher, backfills and retention) when the server
/// starts, and stops them when it stops. A misconfigured workspace stops the server's start with its message.
/// </summary>
internal sealed class WorkspaceService(WorkspaceHosts hosts, ApiHosting hosting) : IHostedService
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
