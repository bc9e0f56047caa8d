namespace Duraflow.Api.Setup;

/// <summary>
/// The workspaces of <see cref="WorkspaceFolders"/>, each built as a host of its own on first use (by the server's
/// start, <see cref="WorkspaceService"/>, or its first request, whichever comes first). A workspace's host gets the
/// server's settings but for what names the default workspace's project and store, so it opens its own project with
/// its own duraflow.yaml.
/// </summary>
internal sealed class WorkspaceHosts(IServiceProvider server, WorkspaceFolders folders, ApiHosting hosting) : IAsyncDisposable
{
    // The settings that describe the default workspace's project, and the workspaces themselves, which a workspace's
    // host must not inherit (a shared StorePrefix would put two workspaces in one store).
    private static readonly string[] NotInherited =
    [
        $"{ProjectOptions.Section}:{nameof(ProjectOptions.Project)}",
        $"{ProjectOptions.Section}:{nameof(ProjectOptions.Store)}",
        $"{ProjectOptions.Section}:{nameof(ProjectOptions.StorePrefix)}",
        $"{ProjectOptions.Section}:{nameof(ProjectOptions.LocalDirectory)}",

        // A folder the server watches for the default project's blob events; another project's pipelines must not
        // start on its files.
        $"{ProjectOptions.Section}:WatchFolder",
        WorkspaceFolders.Section,
    ];

    private readonly Lazy<IReadOnlyDictionary<string, WorkspaceHost>> _hosts = new(() => Build(server, folders, hosting));

    /// <summary>Every workspace's host, by name.</summary>
    /// <exception cref="InvalidOperationException">A workspace is misconfigured, or the Functions app was given workspaces.</exception>
    public IReadOnlyDictionary<string, WorkspaceHost> All => _hosts.Value;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_hosts.IsValueCreated)
        {
            foreach (var host in _hosts.Value.Values)
            {
                if (host.Host is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    host.Host.Dispose();
                }
            }
        }
    }

    private static Dictionary<string, WorkspaceHost> Build(IServiceProvider server, WorkspaceFolders folders, ApiHosting hosting)
    {
        folders.ThrowProblems();
        if (hosting.UnderFunctionsHost && folders.Folders.Count > 0)
        {
            throw new InvalidOperationException(
                $"{WorkspaceFolders.Section} is set, but the Functions app serves one project: deploy one app per workspace (docs/security.md), or serve the workspaces with duraflow serve");
        }

        return folders.Folders.ToDictionary(f => f.Name, f => BuildOne(server, ServedWorkspace.Named(f.Name), f.Root), StringComparer.Ordinal);
    }

    private static WorkspaceHost BuildOne(IServiceProvider server, ServedWorkspace workspace, string root)
    {
        var environment = server.GetRequiredService<IHostEnvironment>();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = environment.ApplicationName,
            EnvironmentName = environment.EnvironmentName,
            ContentRootPath = environment.ContentRootPath,
        });
        builder.Configuration.AddInMemoryCollection(Inherited(server.GetRequiredService<IConfiguration>(), root));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddProvider(new WorkspaceLogging(server.GetRequiredService<ILoggerFactory>(), workspace.Name));
        builder.Services.AddSingleton<IHostLifetime, WorkspaceLifetime>();

        // One clock for the server and its workspaces (tests move the server's).
        builder.Services.AddSingleton(server.GetRequiredService<TimeProvider>());
        builder.Services.AddDuraflowApi(builder.Configuration, server.GetRequiredService<ApiHosting>(), workspace);
        var host = builder.Build();
        return new WorkspaceHost(workspace, host, ApiSetup.BuildWorkspaceApi(host.Services));
    }

    private static IEnumerable<KeyValuePair<string, string?>> Inherited(IConfiguration server, string root) =>
        server.AsEnumerable()
            .Where(setting => setting.Value is not null && !NotInherited.Any(prefix =>
                setting.Key.Equals(prefix, StringComparison.OrdinalIgnoreCase) || setting.Key.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase)))
            .Append(new($"{ProjectOptions.Section}:{nameof(ProjectOptions.Project)}", root));
}
