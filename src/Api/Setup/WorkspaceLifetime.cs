namespace Duraflow.Api.Setup;

/// <summary>
/// A workspace host's lifetime: the server's. The default lifetime would listen for Ctrl-C and SIGTERM itself, so a
/// workspace could stop on its own; here the server stops its workspaces when it stops (<see cref="WorkspaceService"/>).
/// </summary>
internal sealed class WorkspaceLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
