using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks;

/// <summary>
/// Everything one attempt of one block sees: its inputs (the outputs of its upstream blocks), the run's parameters,
/// a logger whose lines land in the run log, cancellation, and the ids a block needs to make side effects idempotent.
/// </summary>
public sealed class BlockContext
{
    private string? _projectRoot;
    private string? _workDirectory;

    private readonly Dictionary<string, JsonElement> _checkpointUpdates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The block's name.</summary>
    public required string Block { get; init; }

    /// <summary>For a block that runs once per fan-out item: the item's position, from 0; otherwise null.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The attempt number, from 1. A block runs at least once per attempt, so side effects must be idempotent.</summary>
    public required int Attempt { get; init; }

    /// <summary>Stable across redeliveries of one attempt: <c>run/block[item]/attempt</c>. Pass it to external systems.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// The <c>run.*</c> template values: <c>id</c>, <c>pipeline</c>, <c>trigger</c>, <c>scheduled_time</c> (when the
    /// run was due: the schedule's time, or when it was requested) and <c>started_at</c>.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Run { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The <c>trigger.*</c> template values: what started the run (a blob's name, a schedule's time, ...).</summary>
    public IReadOnlyDictionary<string, JsonElement> Trigger { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The run's parameters, by name, already converted to their declared types.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Parameters { get; init; }

    /// <summary>
    /// The block's own <c>with:</c> settings, by name, templates filled in (a string that is one template keeps its
    /// value's type). Script and class blocks read them; built-in blocks read theirs through their schema. Set by the
    /// engine before the block's code runs.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Settings { get; internal set; } = new Dictionary<string, JsonElement>();

    /// <summary>The declared type of each parameter (<c>string</c>, <c>int</c>, <c>date</c>, ...), by name.</summary>
    public IReadOnlyDictionary<string, string> ParameterTypes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The outputs of the upstream blocks, by block name: tables or JSON values. All items of a mapped block arrive
    /// as one table when they are tables, otherwise as a JSON array.
    /// </summary>
    public required IReadOnlyDictionary<string, BlockValue> Inputs { get; init; }

    /// <summary>True for a fan-out block, whose output must be a JSON list of items rather than a table.</summary>
    public bool FanOut { get; init; }

    /// <summary>The project folder; relative file paths in block settings start here.</summary>
    // The defaults below are made on first read: the engine always sets both, and asking the OS for them on every
    // block attempt showed in the chain's profile.
    public string ProjectRoot
    {
        get => _projectRoot ??= Directory.GetCurrentDirectory();
        init => _projectRoot = value;
    }

    /// <summary>
    /// Folders outside <see cref="ProjectRoot"/> that the built-in file blocks may read and write (duraflow.yaml's
    /// <c>files.roots</c>); any other local path is refused (<see cref="LocalPaths"/>).
    /// </summary>
    internal IReadOnlyList<string> FileRoots { get; init; } = [];

    /// <summary>A folder of this attempt's own for files it produces (tables, downloads); the engine removes it.</summary>
    public string WorkDirectory
    {
        // A block may read this from several threads at once; the first folder published wins so all of them
        // write to the one folder the engine later removes.
        get => _workDirectory ?? Interlocked.CompareExchange(ref _workDirectory, NewWorkDirectory(), null) ?? _workDirectory!;
        init => _workDirectory = value;
    }

    private static string NewWorkDirectory() =>
        Path.Combine(Path.GetTempPath(), "duraflow", Guid.NewGuid().ToString("N"));

    /// <summary>The named connections of io_config.yaml, resolved for the run's profile.</summary>
    public IConnections Connections { get; init; } = NoConnections.Instance;

    /// <summary>Secret values; every value read here is redacted from logs and stored outputs.</summary>
    public ISecrets Secrets { get; init; } = NoConnections.Instance;

    /// <summary>Where the block's log lines go; the engine stores them with the run.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Signalled when the run is cancelled, the block times out or the worker stops.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Reads the stored value of a pipeline checkpoint (a watermark kept between runs); null when never set. The engine
    /// reads it from the run store, so it is asynchronous like any other I/O.
    /// </summary>
    public Func<string, CancellationToken, Task<JsonElement?>> ReadCheckpoint { get; init; } = (_, _) => Task.FromResult<JsonElement?>(null);

    /// <summary>Checkpoint values set by this attempt: staged with the block's success, stored when the whole run succeeds.</summary>
    internal IReadOnlyDictionary<string, JsonElement> CheckpointUpdates => _checkpointUpdates;

    /// <summary>Sets a checkpoint value: staged with the block's success and committed with the run's.</summary>
    /// <exception cref="NonRetryableBlockException">The name or the value is out of bounds: the same code fails the same way next time.</exception>
    public void SetCheckpoint(string name, JsonElement value)
    {
        if (CheckpointLimits.NameProblem(name) is { } badName)
        {
            throw new NonRetryableBlockException($"block {Block}: checkpoint name '{name}' {badName}");
        }

        if (CheckpointLimits.ValueProblem(value.GetRawText()) is { } tooLarge)
        {
            throw new NonRetryableBlockException($"block {Block}: checkpoint '{name}' {tooLarge}");
        }

        _checkpointUpdates[name] = value.Clone();
    }

    /// <summary>Numbers this attempt measured (rows returned, rows affected, duration), stored with its success.</summary>
    internal IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>Records a metric of this attempt, such as <c>rows_returned</c>; a second value replaces the first.</summary>
    public void SetMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_metrics)
        {
            _metrics[name] = value;
        }
    }

    /// <summary>The current value of a checkpoint: this attempt's update if any, else the stored value.</summary>
    public async Task<JsonElement?> GetCheckpointAsync(string name) =>
        _checkpointUpdates.TryGetValue(name, out var updated) ? updated : await ReadCheckpoint(name, CancellationToken).ConfigureAwait(false);
}
