using System.Net;
using DurableTask.AzureStorage;
using Duraflow.Engine.Storage.Azure;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Durable.Local;

/// <summary>
/// The Durable runtime in this process, with no Functions host: the Durable Task worker talks gRPC to a sidecar on a
/// loopback port, which serves it from the Durable Task Framework's Azure Storage provider, the provider Durable
/// Functions uses in Azure. The task hub lives in the storage account <see cref="LocalDurableOptions.Account"/>
/// names (Azurite locally), so runs survive this process: the next host on the same hub carries them on.
/// </summary>
internal sealed class LocalDurableHost : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stopping;
    private readonly AzureStorageOrchestrationService _service;

    private LocalDurableHost(WebApplication sidecar, IHost worker, GrpcChannel channel, CancellationTokenSource stopping, AzureStorageOrchestrationService service)
    {
        _service = service;
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        _stopping = stopping;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>Starts, schedules, queries and signals orchestrations on the hub.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Creates the task hub if needed and starts the sidecar and a worker running <paramref name="activities"/>' pipelines.</summary>
    /// <exception cref="DurableHostException">The storage account cannot be reached, or the hub cannot be created.</exception>
    public static async Task<LocalDurableHost> StartAsync(LocalDurableOptions options, RunActivities activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activities);
        var logs = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.HubName,
            StorageAccountClientProvider = ClientProvider(options.Account),
            LoggerFactory = logs,
            PartitionCount = options.Partitions,
            MaxConcurrentTaskActivityWorkItems = options.Parallelism,

            // A killed process's work comes back in seconds, not the provider's default five minutes (environment.md §10).
            WorkItemQueueVisibilityTimeout = options.VisibilityTimeout,
            ControlQueueVisibilityTimeout = options.VisibilityTimeout,
            MaxQueuePollingInterval = options.MaxPolling,
        });
        try
        {
            // The sidecar serves a hub; it never creates one.
            await service.CreateIfNotExistsAsync().WaitAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            throw new DurableHostException(
                $"the durable runtime could not open task hub '{options.HubName}' in the storage account of {options.Account.Setting}: {e.GetBaseException().Message}. "
                + "Start Azurite (scripts/services.sh start azurite) or set AzureWebJobsStorage to a reachable storage account", e);
        }

        var sidecar = await StartSidecarAsync(service, logs, cancellationToken).ConfigureAwait(false);
        var address = sidecar.Urls.First();
        var channel = GrpcChannel.ForAddress(address);
        var stopping = new CancellationTokenSource();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logs);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.Configure(o => o.Concurrency.MaximumConcurrentActivityWorkItems = options.Parallelism);
            worker.AddTasks(tasks =>
            {
                RunTasks.Register(tasks, activities, stopping.Token);
                options.MoreTasks?.Invoke(tasks);
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
        var worker = builder.Build();
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        return new LocalDurableHost(sidecar, worker, channel, stopping, service);
    }

    // The provider takes a connection string, or service URIs with a token credential (managed identity in Azure).
    private static StorageAccountClientProvider ClientProvider(AzureStorageAccount account) => account.ConnectionString is { } connectionString
        ? new StorageAccountClientProvider(connectionString)
        : new StorageAccountClientProvider(account.BlobServiceUri!, account.QueueServiceUri!, account.TableServiceUri!, account.Credential!);

    /// <summary>
    /// Starts the gRPC sidecar on a loopback port, serving <paramref name="service"/>. Internal rather than private so the
    /// benchmarks' bare Durable Task peer in memory is served by this same sidecar, on the test host's in-memory provider.
    /// </summary>
    internal static async Task<WebApplication> StartSidecarAsync<TService>(TService service, ILoggerFactory logs, CancellationToken cancellationToken)
        where TService : class, IOrchestrationService, IOrchestrationServiceClient
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerAndDispatcher);

        // One instance: it holds the stream of work items the worker reads.
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    /// <summary>Deletes the task hub's queues, tables and blobs, with every orchestration in it; for throwaway hubs only.</summary>
    public Task DeleteHubAsync() => _service.DeleteAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Running activities see their token fire and are abandoned: their work comes back to the next host.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _worker.Dispose();
        await _sidecar.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _sidecar.DisposeAsync().ConfigureAwait(false);
        _channel.Dispose();
        _stopping.Dispose();
    }
}
