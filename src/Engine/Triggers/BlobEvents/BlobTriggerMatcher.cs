using Duraflow.Engine.Definitions;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Finds the pipelines a blob event starts: those with a <c>blob_created</c> trigger whose container equals the
/// event's and whose prefix and suffix the blob name has (ordinal, case-sensitive, as blob names are).
/// </summary>
/// <remarks>
/// A trigger's <c>connection</c> names an io_config connection. When the host knows that connection's account name
/// (see <see cref="StorageAccountNames.FromConnection"/>) it passes it in <c>connectionAccounts</c>, and the event's
/// account must equal it. When the account is not known (the connection is not listed, the trigger names none, or the
/// event does not say, as with the folder watcher) the account is not compared: one Event Grid subscription feeds one
/// queue, so its events already come from the accounts the deployment chose.
/// </remarks>
internal sealed class BlobTriggerMatcher
{
    private readonly IReadOnlyList<(ValidatedPipeline Pipeline, IReadOnlyList<BlobCreatedTrigger> Triggers)> _pipelines;
    private readonly Dictionary<string, string> _connectionAccounts;

    /// <summary>Creates a matcher over a project's pipelines; invalid ones and ones without blob triggers are left out.</summary>
    /// <param name="pipelines">The project's validated pipelines.</param>
    /// <param name="connectionAccounts">Account names by io_config connection name, for the connections whose account is known.</param>
    public BlobTriggerMatcher(IEnumerable<ValidatedPipeline> pipelines, IReadOnlyDictionary<string, string>? connectionAccounts = null)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        _pipelines = [.. pipelines
            .Where(p => p.IsValid)
            .Select(p => (p, (IReadOnlyList<BlobCreatedTrigger>)[.. p.Definition!.Triggers.OfType<BlobCreatedTrigger>()]))
            .Where(p => p.Item2.Count > 0)];
        _connectionAccounts = connectionAccounts is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(connectionAccounts, StringComparer.Ordinal);
    }

    /// <summary>The pipelines with a blob_created trigger, for hosts that need to know whether to listen at all.</summary>
    public IReadOnlyList<ValidatedPipeline> Pipelines => [.. _pipelines.Select(p => p.Pipeline)];

    /// <summary>Each pipeline <paramref name="blobEvent"/> starts, once even when several of its triggers match, in project order.</summary>
    /// <param name="blobEvent">The event.</param>
    /// <returns>The matches; empty when no trigger matches.</returns>
    public IReadOnlyList<BlobTriggerMatch> Match(BlobCreatedEvent blobEvent)
    {
        ArgumentNullException.ThrowIfNull(blobEvent);
        var matches = new List<BlobTriggerMatch>();
        foreach (var (pipeline, triggers) in _pipelines)
        {
            if (triggers.FirstOrDefault(t => Matches(t, blobEvent)) is { } trigger)
            {
                matches.Add(new BlobTriggerMatch(pipeline, trigger));
            }
        }

        return matches;
    }

    private bool Matches(BlobCreatedTrigger trigger, BlobCreatedEvent blobEvent) =>
        string.Equals(trigger.Container, blobEvent.Container, StringComparison.Ordinal)
        && (trigger.Prefix is null || blobEvent.Name.StartsWith(trigger.Prefix, StringComparison.Ordinal))
        && (trigger.Suffix is null || blobEvent.Name.EndsWith(trigger.Suffix, StringComparison.Ordinal))
        && AccountMatches(trigger, blobEvent);

    private bool AccountMatches(BlobCreatedTrigger trigger, BlobCreatedEvent blobEvent) =>
        trigger.Connection is null
        || blobEvent.Account is null
        || !_connectionAccounts.TryGetValue(trigger.Connection, out var account)
        || string.Equals(account, blobEvent.Account, StringComparison.OrdinalIgnoreCase);
}
