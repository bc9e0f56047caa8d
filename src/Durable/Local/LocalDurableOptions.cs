using Duraflow.Engine.Storage.Azure;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Duraflow.Durable.Local;

/// <summary>Where and how the in-process Durable runtime keeps its task hub.</summary>
internal sealed record LocalDurableOptions
{
    /// <summary>The storage account of the task hub: by connection string (Azurite: <c>UseDevelopmentStorage=true</c>) or by identity.</summary>
    public required AzureStorageAccount Account { get; init; }

    /// <summary>The task hub (see <see cref="DurableNames.HubFor"/>).</summary>
    public required string HubName { get; init; }

    /// <summary>Block activities at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The hub's control-queue partitions: orchestrations run in parallel across them.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>How long a message taken by a process that died stays hidden before another takes it.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between polls of an idle queue.</summary>
    public TimeSpan MaxPolling { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to try reaching the account before saying it cannot be reached.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Orchestrators and activities the worker runs besides the run's own: the benchmarks' bare Durable Task peer, which
    /// must run on the same host to be a fair anchor. None by default.
    /// </summary>
    public Action<DurableTaskRegistry>? MoreTasks { get; init; }

    /// <summary>Where the provider, sidecar and worker log; nowhere by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
