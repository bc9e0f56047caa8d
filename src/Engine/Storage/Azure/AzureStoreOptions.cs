using System.Text.RegularExpressions;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>How the Azure store names its resources and paces its background duties.</summary>
internal sealed partial record AzureStoreOptions
{
    /// <summary>
    /// Names everything the store creates: tables <c>{prefix}runs</c> and <c>{prefix}index</c>, queues
    /// <c>{prefix}-orchestration</c> and <c>{prefix}-blocks</c>, and the blob container <c>{prefix}</c>. Lowercase
    /// letters and digits, starting with a letter; several projects or environments can share an account by prefix.
    /// </summary>
    public string Prefix { get; init; } = "duraflow";

    /// <summary>
    /// Outgoing work committed this long ago and still in the outbox was left by a process that died between its
    /// commit and its queue puts; the sweeper sends it again. Receivers drop duplicates, so erring early costs only a
    /// wasted message.
    /// </summary>
    public TimeSpan SweepAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the process holding the sweeper lease sweeps.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a singleton lease (the sweeper's) lasts unless renewed; a dead holder's lease ends after this.</summary>
    public TimeSpan SingletonLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many queue messages one commit sends at once.</summary>
    public int SendParallelism { get; init; } = 16;

    /// <summary>Tests add this to the table client's pipeline, to fail or delay requests at chosen points.</summary>
    internal global::Azure.Core.Pipeline.HttpPipelinePolicy? TablePolicy { get; init; }

    /// <summary>Checks <see cref="Prefix"/>, naming the setting that holds it in the error.</summary>
    /// <exception cref="InvalidOperationException">The prefix cannot name tables, queues and containers.</exception>
    public void Validate(string setting = "store 'prefix'")
    {
        if (!PrefixPattern().IsMatch(Prefix))
        {
            throw new InvalidOperationException(
                $"{setting} '{Prefix}' must be 3 to 40 lowercase letters and digits starting with a letter, because it names Azure tables, queues and a blob container");
        }
    }

    internal string RunsTable => Prefix + "runs";

    internal string IndexTable => Prefix + "index";

    internal string QueueName(string queue) => $"{Prefix}-{queue}";

    internal string Container => Prefix;

    [GeneratedRegex("^[a-z][a-z0-9]{2,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}
