using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// The run store on Azure Storage, for many processes (Function instances or workers) sharing one account.
/// </summary>
/// <remarks>
/// <para>Each run is one partition of the runs table. A commit is one entity-group transaction there: the run entity
/// (the run without its blocks and its version, replaced only under its ETag, which fences concurrent writers), the
/// entities of the blocks it changed, the commit's events, its outbox of work to send, log lines and a dead letter. A
/// commit too large for one transaction stages its blocks in a blob and writes them after (see
/// <see cref="StagedBlocks"/>); reading a run whole checks the block entities against the run's version (see
/// AzureStore.RunReads.cs). Only after it succeeds are the queue messages put and the
/// consumed message deleted; a process that dies in between leaves the outbox behind, and the sweeper sends it.
/// Messages carry the work's idempotency key and receivers check every message against the committed state, so a
/// message sent twice, or late, changes nothing.</para>
/// <para>Listing runs, idempotency keys, plans, concurrency slots and checkpoints live in the index table, written
/// before (keys, plans) or after (listing, status) the run's own transaction; see <see cref="RunIndex"/>.</para>
/// <para>docs/scale-out.md explains the design, its guarantees and the transactions a block costs.</para>
/// </remarks>
internal sealed partial class AzureStore : IRunStore, IWorkQueues, IStoreMaintenance, IRunPurge
{
    private readonly TableClient _runs;
    private readonly TableClient _index;
    private readonly Dictionary<string, QueueClient> _queues;
    private readonly AzureStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly QueueLeases _leases = new();
    private readonly DueTimes _due = new();
    private readonly SentOutboxes _sent = new();
    private readonly ConcurrentDictionary<string, KnownRun> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _knownPlans = new(StringComparer.Ordinal);

    private AzureStore(
        TableClient runs, TableClient index, Dictionary<string, QueueClient> queues, BlobContainerClient container,
        AzureStoreOptions options, TimeProvider time, StorageTransactions transactions)
    {
        _runs = runs;
        _index = index;
        _queues = queues;
        Container = container;
        _options = options;
        _time = time;
        Transactions = transactions;
    }

    /// <summary>Requests sent to the account by this store and the artifact stores it made.</summary>
    public StorageTransactions Transactions { get; }

    /// <summary>The container holding artifacts, large payloads and singleton leases.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>The options the store was opened with.</summary>
    public AzureStoreOptions Options => _options;

    /// <summary>Opens the store in <paramref name="account"/>, creating its tables, queues and container when missing.</summary>
    public static async Task<AzureStore> OpenAsync(
        AzureStorageAccount account, AzureStoreOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        options ??= new AzureStoreOptions();
        options.Validate();
        var transactions = new StorageTransactions();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(transactions.TablePolicy, HttpPipelinePosition.PerRetry);
        if (options.TablePolicy is { } policy)
        {
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(transactions.QueuePolicy, HttpPipelinePosition.PerRetry);
        AzureStore? opened = null;
        queueOptions.MessageDecodingFailed += async args =>
        {
            if (opened is not null && args.ReceivedMessage is { } message)
            {
                await opened.SetAsideAsync(
                    args.Queue, message, "the message is not base64 text, so it was not written by Duraflow (or by anything a Functions queue trigger reads)",
                    args.CancellationToken).ConfigureAwait(false);
            }
        };
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(transactions.BlobPolicy, HttpPipelinePosition.PerRetry);

        var tables = account.CreateTableServiceClient(tableOptions);
        var queueService = account.CreateQueueServiceClient(queueOptions);
        var queues = new Dictionary<string, QueueClient>(StringComparer.Ordinal)
        {
            [WorkQueues.Orchestration] = queueService.GetQueueClient(options.QueueName(WorkQueues.Orchestration)),
            [WorkQueues.Blocks] = queueService.GetQueueClient(options.QueueName(WorkQueues.Blocks)),
            [WorkQueues.Alerts] = queueService.GetQueueClient(options.QueueName(WorkQueues.Alerts)),
        };
        var store = new AzureStore(
            tables.GetTableClient(options.RunsTable), tables.GetTableClient(options.IndexTable), queues,
            account.CreateBlobServiceClient(blobOptions).GetBlobContainerClient(options.Container), options, time ?? TimeProvider.System, transactions);
        opened = store;
        try
        {
            await Task.WhenAll(
                store._runs.CreateIfNotExistsAsync(cancellationToken),
                store._index.CreateIfNotExistsAsync(cancellationToken),
                queues[WorkQueues.Orchestration].CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                queues[WorkQueues.Blocks].CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                queues[WorkQueues.Alerts].CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                store.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            await store.ProbeLegacyIndexAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new InvalidOperationException(
                $"could not open the Azure store in {account} ({e.Status} {e.ErrorCode}): check the account settings and that the identity may "
                + "use its tables, queues and blobs (Storage Table/Queue/Blob Data Contributor)", e);
        }

        return store;
    }

    /// <summary>An artifact store over the store's container, with block scratch files under <paramref name="scratchDirectory"/>.</summary>
    public BlobArtifactStore CreateArtifactStore(string scratchDirectory) => new(Container, scratchDirectory);

    /// <summary>Deletes every table, queue and the container the store uses (tests and teardown).</summary>
    public async Task DeleteEverythingAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            _runs.DeleteAsync(cancellationToken),
            _index.DeleteAsync(cancellationToken),
            _queues[WorkQueues.Orchestration].DeleteIfExistsAsync(cancellationToken),
            _queues[WorkQueues.Blocks].DeleteIfExistsAsync(cancellationToken),
            _queues[WorkQueues.Alerts].DeleteIfExistsAsync(cancellationToken),
            Container.DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private QueueClient Queue(string queue) =>
        _queues.TryGetValue(queue, out var client) ? client : throw new ArgumentException($"there is no work queue '{queue}'", nameof(queue));

    private DateTimeOffset Now => _time.GetUtcNow();
}
