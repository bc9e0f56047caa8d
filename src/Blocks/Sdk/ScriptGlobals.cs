using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks;

/// <summary>
/// What a C# script block sees as top-level names: <c>Input&lt;T&gt;("block")</c>, <c>Param&lt;T&gt;("name")</c>,
/// <c>Setting&lt;T&gt;("name")</c>, <c>Log</c>, <c>await Checkpoint&lt;T&gt;("name")</c>, the project folder and the
/// run's ids. One instance wraps one attempt's <see cref="BlockContext"/>.
/// </summary>
/// <remarks>
/// Public because Roslyn compiles the script as code that accesses this type from another assembly. Values are
/// converted with <see cref="BlockJson.Options"/>, so a C# record <c>OrderId</c> reads the <c>order_id</c> column
/// of a SQL block. A name that does not exist or a value that does not convert fails the block without retries:
/// the pipeline definition or the data is wrong, and running the same code again gives the same result.
/// </remarks>
public sealed class ScriptGlobals
{
    private readonly BlockContext _context;

    /// <summary>Creates the globals for one attempt of a script block.</summary>
    public ScriptGlobals(BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <summary>Where the script's log lines go; they are stored with the run.</summary>
    public ILogger Log => _context.Logger;

    /// <summary>Signalled when the run is cancelled or the block times out; long loops should check it.</summary>
    public CancellationToken CancellationToken => _context.CancellationToken;

    /// <summary>
    /// The project folder (where duraflow.yaml is), full path; relative file paths in block settings start here, and
    /// a script reads project files with <c>Path.Combine(ProjectRoot, "data/x.csv")</c>.
    /// </summary>
    public string ProjectRoot => _context.ProjectRoot;

    /// <summary>The run's id.</summary>
    public string RunId => _context.RunId;

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt => _context.Attempt;

    /// <summary>Stable across redeliveries of one attempt; pass it to external systems to make side effects idempotent.</summary>
    public string IdempotencyKey => _context.IdempotencyKey;

    /// <summary>For a block that runs once per fan-out item: the item's position, from 0; otherwise null.</summary>
    public int? ItemIndex => _context.ItemIndex;

    /// <summary>
    /// The output of upstream block <paramref name="name"/>, converted to <typeparamref name="T"/>; JSON null gives
    /// the default. A table reads as <see cref="Table"/>, as <c>IEnumerable&lt;TRow&gt;</c> (streamed row by row, for
    /// tables of any size), or as an array or list of rows (loaded whole).
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The block has no such input, or its value does not convert.</exception>
    public T Input<T>(string name) => As<T>(BlockInputReader.Input(_context, name, typeof(T)));

    /// <summary>The output of upstream block <paramref name="name"/> as JSON, for scripts that only pass it on or inspect it.</summary>
    /// <exception cref="NonRetryableBlockException">The block has no such input.</exception>
    public JsonElement Input(string name) => BlockInputReader.InputValue(_context, name).AsJson(_context.CancellationToken);

    /// <summary>
    /// The value of secret <paramref name="name"/> (from secrets.local.yaml, the environment or Key Vault). The value
    /// is masked as *** wherever it would be stored: logs, errors and JSON outputs.
    /// </summary>
    public Task<string> Secret(string name) => _context.Secrets.GetAsync(name, _context.CancellationToken);

    /// <summary>The io_config.yaml connection <paramref name="name"/> of the run's profile, with its settings resolved.</summary>
    public Task<Connection> Connection(string name) => _context.Connections.GetAsync(name, _context.CancellationToken);

    /// <summary>The run's parameter <paramref name="name"/>, converted to <typeparamref name="T"/>; JSON null gives the default.</summary>
    /// <exception cref="NonRetryableBlockException">The pipeline has no such parameter, or its value does not convert.</exception>
    public T Param<T>(string name) => As<T>(BlockInputReader.Parameter(_context, name, typeof(T)));

    /// <summary>
    /// The block's setting <paramref name="name"/> (a key of its <c>with:</c>), templates filled in, converted to
    /// <typeparamref name="T"/>; JSON null gives the default. One script serves several blocks with different settings.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The block has no such setting, or its value does not convert.</exception>
    public T Setting<T>(string name) => As<T>(BlockInputReader.Setting(_context, name, typeof(T)));

    /// <summary>All of the block's <c>with:</c> settings as one JSON object, templates filled in; empty without any.</summary>
    public JsonElement Settings => BlockJson.ToElement(_context.Settings);

    /// <summary>
    /// The value of pipeline checkpoint <paramref name="name"/>: this attempt's update if any, else the value stored
    /// by the last successful run, else the default of <typeparamref name="T"/>. Stored values are read from the run
    /// store, so scripts await it: <c>var since = await Checkpoint&lt;DateTimeOffset?&gt;("since");</c>.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The stored value does not convert.</exception>
    public async Task<T?> Checkpoint<T>(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return await _context.GetCheckpointAsync(name).ConfigureAwait(false) is { } value
            ? As<T>(BlockInputReader.Convert(_context, value, typeof(T), $"checkpoint '{name}'"))
            : default;
    }

    /// <summary>Sets checkpoint <paramref name="name"/>; it is stored only if the block succeeds.</summary>
    public void SetCheckpoint<T>(string name, T value) => _context.SetCheckpoint(name, BlockJson.ToElement(value));

    // JSON null deserializes to null, which is the default of reference and nullable types.
    private static T As<T>(object? value) => value is null ? default! : (T)value;
}
