namespace Duraflow.Engine.Projects;

/// <summary>The settings in a project's optional <c>duraflow.yaml</c>.</summary>
internal sealed record ProjectSettings
{
    /// <summary>Settings of a project without duraflow.yaml.</summary>
    public static ProjectSettings Default { get; } = new();

    /// <summary>A display name for the project; null means the folder name.</summary>
    public string? Name { get; init; }

    /// <summary>The IANA time zone of schedules that name none.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>
    /// The runtime of new runs as duraflow.yaml's <c>runtime:</c> names it; null when it names none, and each host
    /// picks its own default (<c>duraflow</c> for the command and its server, <c>durable</c> for the Azure app).
    /// </summary>
    public RuntimeKind? Runtime { get; init; }

    /// <summary>The run store.</summary>
    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    /// <summary>The SQLite file, relative to the project folder (sqlite store only).</summary>
    public string StorePath { get; init; } = ".duraflow/duraflow.db";

    /// <summary>True (the default, <c>durability: full</c>) to sync every commit to disk; false for <c>normal</c> (sqlite store only).</summary>
    public bool SyncEveryCommit { get; init; } = true;

    /// <summary>
    /// The name of the setting that holds the storage account (azure store only): an environment variable with a
    /// connection string, or the prefix of identity-based settings such as <c>{name}__accountName</c>, as Azure
    /// Functions reads <c>AzureWebJobsStorage</c>.
    /// </summary>
    public string StoreConnection { get; init; } = "AzureWebJobsStorage";

    /// <summary>
    /// What the names of the store's tables, queues and blob container start with (azure store only), so several
    /// projects or environments can share one account.
    /// </summary>
    public string StorePrefix { get; init; } = "duraflow";

    /// <summary>How many blocks one worker process runs at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a worker holds a message before another may take it over (after a crash).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries of one block attempt before it is dead-lettered and the block fails.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>Where secrets come from and how long their values are reused.</summary>
    public SecretSettings Secrets { get; init; } = SecretSettings.Default;

    /// <summary>
    /// How long finished runs are kept (<c>retention: { runs: 30d }</c>) before the sweeper of a long-running host
    /// (<c>duraflow worker</c>, <c>duraflow serve</c>, the Functions app) purges them; null keeps them for ever.
    /// </summary>
    public TimeSpan? RetainRuns { get; init; }

    /// <summary>
    /// How long audit entries are kept (<c>retention: { audit: 365d }</c>, the default) before the same sweeper
    /// removes them; at least a day.
    /// </summary>
    public TimeSpan RetainAudit { get; init; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Absolute folders outside the project that the file blocks may read and write (<c>files: { roots: [...] }</c>);
    /// every other local path must be inside the project.
    /// </summary>
    public IReadOnlyList<string> FileRoots { get; init; } = [];

    /// <summary>duraflow.yaml's <c>alerts.dashboard_url</c>: the base of the run links that alerts carry.</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>duraflow.yaml's <c>alerts.send</c>: the alerts every pipeline sends unless it says <c>inherit: false</c>.</summary>
    public IReadOnlyList<Definitions.AlertDefinition> Alerts { get; init; } = [];

    /// <summary>The named limits blocks take (<c>limits:</c>), by name; shared by every run and worker of the project.</summary>
    public IReadOnlyDictionary<string, Definitions.LimitDefinition> Limits { get; init; } = new Dictionary<string, Definitions.LimitDefinition>();

    /// <summary>duraflow.yaml's <c>ai:</c>: the chat model that writes blocks; null when none is configured (or its settings have errors).</summary>
    public AiSettings? Ai { get; init; }
}
