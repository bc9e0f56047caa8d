namespace Duraflow.Api.Setup;

/// <summary>
/// One workspace served beside the default one: a host of its own (its project, store, workers, triggers and
/// retention, from <see cref="ApiSetup.AddDuraflowApi"/> like the default workspace's) and the API's request pipeline
/// built on its services, which <see cref="WorkspaceRouting"/> hands the workspace's requests to.
/// </summary>
/// <param name="Workspace">Its name and routes.</param>
/// <param name="Host">Its services and background work; started and stopped with the server (<see cref="WorkspaceService"/>).</param>
/// <param name="Pipeline">The API on its services, without the caller check the server made already.</param>
internal sealed record WorkspaceHost(ServedWorkspace Workspace, IHost Host, RequestDelegate Pipeline);
