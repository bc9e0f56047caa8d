using Duraflow.Durable.Local;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Bench;

/// <summary>
/// Durable Task with nothing stored: the durable runtime's own sidecar (<see cref="LocalDurableHost"/>) serving the
/// in-process test host's in-memory provider (<see cref="UnthrottledInMemoryService"/>) instead of Azure Storage, and
/// a worker over gRPC running at most <c>parallelism</c> activities at once. What Durable itself costs per activity.
/// </summary>
internal sealed class InMemoryDurableHost : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;

    private InMemoryDurableHost(WebApplication sidecar, IHost worker, GrpcChannel channel)
    {
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    public static async Task<InMemoryDurableHost> StartAsync(Action<DurableTaskRegistry> tasks, int parallelism)
    {
        ILoggerFactory logs = NullLoggerFactory.Instance;
        var sidecar = await LocalDurableHost.StartSidecarAsync(new UnthrottledInMemoryService(logs), logs, CancellationToken.None);
        var channel = GrpcChannel.ForAddress(sidecar.Urls.First());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logs);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.Configure(o => o.Concurrency.MaximumConcurrentActivityWorkItems = parallelism);
            worker.AddTasks(tasks);
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
        var worker = builder.Build();
        await worker.StartAsync();
        return new InMemoryDurableHost(sidecar, worker, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _sidecar.StopAsync();
        await _sidecar.DisposeAsync();
        _channel.Dispose();
    }
}
