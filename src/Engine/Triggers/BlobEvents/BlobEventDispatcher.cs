using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Triggers.BlobEvents;

/// <summary>
/// Starts a run of every pipeline whose blob_created trigger an event matches, once per (event, pipeline) however
/// often the event is delivered, with the blob's details as <c>{{ trigger.blob.* }}</c>.
/// </summary>
/// <remarks>
/// Runs start with trigger <c>blob</c>, the pipelines' parameter defaults, and the idempotency key
/// <c>blob:PIPELINE:EVENT_ID</c>, so a redelivered event, or the same event in another process, returns the run the
/// first delivery started. Events of one blob in one batch are dispatched in <c>sequencer</c> order (Event Grid does
/// not keep order); separate batches are not ordered against each other. A store failure propagates, so the host can
/// fail the delivery and have it retried; the runs already started are then found again by their keys.
/// </remarks>
internal sealed class BlobEventDispatcher
{
    private readonly RunStarter _starter;
    private readonly BlobTriggerMatcher _matcher;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="starter">Starts the runs.</param>
    /// <param name="matcher">The project's blob triggers.</param>
    public BlobEventDispatcher(RunStarter starter, BlobTriggerMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(starter);
        ArgumentNullException.ThrowIfNull(matcher);
        _starter = starter;
        _matcher = matcher;
    }

    /// <summary>Starts the runs <paramref name="events"/> call for, in order.</summary>
    /// <param name="events">Parsed events, for example from <see cref="BlobEventParser.Parse(string)"/>.</param>
    /// <param name="cancellationToken">Stops dispatching.</param>
    /// <returns>One result per (event, matching pipeline), and one <see cref="BlobDispatchOutcome.NoMatch"/> per event that matched none.</returns>
    public async Task<IReadOnlyList<BlobDispatchResult>> DispatchAsync(IEnumerable<BlobCreatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new List<BlobDispatchResult>();
        foreach (var blobEvent in InBlobOrder(events))
        {
            var matches = _matcher.Match(blobEvent);
            if (matches.Count == 0)
            {
                results.Add(new BlobDispatchResult(blobEvent, BlobDispatchOutcome.NoMatch, null, null));
                continue;
            }

            foreach (var match in matches)
            {
                results.Add(await StartAsync(blobEvent, match.Pipeline, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    /// <summary>The idempotency key of the run an event starts for a pipeline.</summary>
    /// <param name="pipeline">The pipeline's name.</param>
    /// <param name="eventId">The event's id.</param>
    public static string IdempotencyKey(string pipeline, string eventId) => $"blob:{pipeline}:{eventId}";

    /// <summary>The <c>{{ trigger.* }}</c> values of a run an event starts: everything under <c>blob</c>.</summary>
    /// <param name="blobEvent">The event.</param>
    public static IReadOnlyDictionary<string, JsonElement> TriggerValues(BlobCreatedEvent blobEvent)
    {
        ArgumentNullException.ThrowIfNull(blobEvent);
        var blob = new Dictionary<string, object?>
        {
            ["name"] = blobEvent.Name,
            ["container"] = blobEvent.Container,
            ["account"] = blobEvent.Account,
            ["url"] = blobEvent.Url,
            ["size"] = blobEvent.Size,
            ["content_type"] = blobEvent.ContentType,
            ["etag"] = blobEvent.ETag,
            ["sequencer"] = blobEvent.Sequencer,
            ["event_id"] = blobEvent.Id,
            ["event_time"] = blobEvent.EventTime?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        };
        return new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["blob"] = JsonSerializer.SerializeToElement(blob) };
    }

    /// <summary>The events with those of each blob sorted by sequencer, blobs in the order they first appear.</summary>
    internal static IEnumerable<BlobCreatedEvent> InBlobOrder(IEnumerable<BlobCreatedEvent> events)
    {
        var list = events.ToList();
        var firstSeen = new Dictionary<(string?, string, string), int>();
        for (var i = 0; i < list.Count; i++)
        {
            firstSeen.TryAdd(BlobKey(list[i]), i);
        }

        // OrderBy is stable, so events without a sequencer keep their order.
        return list
            .Select((e, i) => (Event: e, Index: i))
            .OrderBy(x => firstSeen[BlobKey(x.Event)])
            .ThenBy(x => x.Event.Sequencer ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(x => x.Index)
            .Select(x => x.Event);
    }

    private static (string?, string, string) BlobKey(BlobCreatedEvent e) => (e.Account, e.Container, e.Name);

    private async Task<BlobDispatchResult> StartAsync(BlobCreatedEvent blobEvent, ValidatedPipeline pipeline, CancellationToken cancellationToken)
    {
        var definition = pipeline.Definition!;
        var resolution = RunParameters.Defaults(definition);
        if (resolution.Parameters is not { } parameters)
        {
            return new BlobDispatchResult(
                blobEvent, BlobDispatchOutcome.Rejected, definition.Name, null, string.Join("; ", resolution.Problems.Select(p => p.ForCommandLine())));
        }

        var request = new RunRequest(pipeline, parameters, new RunTrigger(RunTrigger.Blob, TriggerValues(blobEvent)))
        {
            IdempotencyKey = IdempotencyKey(definition.Name, blobEvent.Id),
        };
        var started = await _starter.StartAsync(request, cancellationToken).ConfigureAwait(false);
        return new BlobDispatchResult(blobEvent, started.Created ? BlobDispatchOutcome.Started : BlobDispatchOutcome.Duplicate, definition.Name, started.RunId);
    }
}
