using Duraflow.Blocks;
using Duraflow.Engine.Alerts;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Delivers one message of the <c>alerts</c> queue: reads the run, renders the alert's destination and text, sends it,
/// and records how it went beside the run. A refusal that another try would not change is recorded as failed at once;
/// a timeout, 408, 429 or 5xx is tried again after a growing wait, until <see cref="AlertSender.MostAttempts"/>. The
/// queue holds the message until then, so a crash at any point only delays the alert.
/// </summary>
/// <param name="committer">The engine: the run store, plans, queues and clock.</param>
/// <param name="secrets">Where secrets are read, as blocks read them (the project's current files); null reads none.</param>
/// <param name="sender">Sends the HTTP requests.</param>
/// <param name="settings">The dashboard's public URL, for links to runs.</param>
internal sealed class AlertDelivery(RunCommitter committer, Func<ISecrets>? secrets, AlertSender sender, AlertSettings settings)
{
    /// <summary>
    /// A delivery that reads no secrets and puts no link in alerts, on the shared HTTP client: for a worker host wired
    /// without the project's connections.
    /// </summary>
    public static AlertDelivery WithoutSecrets(RunCommitter committer) => new(committer, null, new AlertSender(AlertSender.SharedClient), AlertSettings.Default);

    /// <summary>Raised after each attempt with what was recorded, for hosts that log deliveries.</summary>
    public event EventHandler<AlertRecord>? Recorded;

    public async Task DeliverAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var records = committer.Store;
        var message = WorkMessages.Read<AlertWork>(work);
        using var received = EngineTelemetry.StartReceiveActivity(work.RunId, work.Queue, message.TraceParent);
        var stored = await committer.Store.GetRunAsync(work.RunId, cancellationToken).ConfigureAwait(false);
        var plan = stored is null ? null : await committer.PlanAsync(message.PlanHash, cancellationToken).ConfigureAwait(false);
        if (stored is null || plan?.Alerts is not { } alerts || message.Alert >= alerts.Count)
        {
            // The run was purged since (its deliveries with it), or the message is not one the plan explains.
            await committer.Queues.CompleteAsync(work, cancellationToken).ConfigureAwait(false);
            return;
        }

        var alert = alerts[message.Alert];
        using var activity = EngineTelemetry.StartRunActivity("duraflow.alert", work.RunId);
        activity?.SetTag("duraflow.alert.event", AlertEvents.Name(message.Occurrence.Event));
        activity?.SetTag("duraflow.alert.destination", AlertDestinations.Name(alert.Destination));
        var previous = await records.GetAlertAsync(work.RunId, work.Key, cancellationToken).ConfigureAwait(false);
        if (previous is { Status: not AlertDeliveryStatus.Retrying })
        {
            // Recorded as done before a crash kept the message from being deleted.
            await committer.Queues.CompleteAsync(work, cancellationToken).ConfigureAwait(false);
            return;
        }

        var attempts = (previous?.Attempts ?? 0) + 1;

        // Handling that failed outside the send (a crash, a store error) MaxDeliveries times in a row will not be
        // cured by more of the same: the alert is recorded as failed instead of coming back for ever.
        var result = work.Deliveries > committer.Options.MaxDeliveries
            ? new AlertSendResult(AlertSendOutcome.Failed, null, $"its handling stopped {work.Deliveries - 1} times without an outcome (crashes or store errors)")
            : await SendAsync(alert, plan, stored.State, message, work.Key, cancellationToken).ConfigureAwait(false);
        var status = result.Outcome switch
        {
            AlertSendOutcome.Delivered => AlertDeliveryStatus.Delivered,
            AlertSendOutcome.Retry when attempts < AlertSender.MostAttempts => AlertDeliveryStatus.Retrying,
            _ => AlertDeliveryStatus.Failed,
        };
        var detail = status == AlertDeliveryStatus.Failed && result.Outcome == AlertSendOutcome.Retry
            ? $"{result.Detail} (gave up after {attempts} attempts)"
            : result.Detail;
        var record = new AlertRecord(
            work.Key, message.Occurrence.Event, alert.Destination, message.Occurrence.Block, status, attempts, detail, committer.Time.GetUtcNow());
        await records.RecordAlertAsync(work.RunId, record, cancellationToken).ConfigureAwait(false);
        EngineTelemetry.CountAlert(stored.State.Pipeline, record);
        activity?.SetTag("duraflow.alert.outcome", record.StatusName);
        activity?.SetTag("duraflow.alert.attempts", attempts);
        if (status != AlertDeliveryStatus.Delivered)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, detail);
        }

        Recorded?.Invoke(this, record);

        if (status == AlertDeliveryStatus.Retrying)
        {
            // The receiver's Retry-After, when it asks for longer than our backoff.
            var wait = result.RetryAfter is { } asked && asked > AlertSender.Backoff(attempts) ? asked : AlertSender.Backoff(attempts);
            await committer.Queues.ReleaseAsync(work, wait, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await committer.Queues.CompleteAsync(work, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AlertSendResult> SendAsync(
        AlertPlan alert, RunPlan plan, RunState state, AlertWork message, string key, CancellationToken cancellationToken)
    {
        string url;
        string? text;
        try
        {
            Func<string, CancellationToken, Task<string>> secret = secrets?.Invoke() is { } current
                ? current.GetAsync
                : (name, _) => throw new NonRetryableBlockException($"secret '{name}': this process reads no secrets");
            url = await AlertText.RenderAsync(alert.Url, state, plan.SecretParameters, secret, settings.Environment, cancellationToken).ConfigureAwait(false);
            text = alert.Message is { } template
                ? await AlertText.RenderAsync(template, state, plan.SecretParameters, secret, settings.Environment, cancellationToken).ConfigureAwait(false)
                : null;
        }
        catch (SecretUnavailableException e)
        {
            return new AlertSendResult(AlertSendOutcome.Retry, null, $"the destination's secret cannot be read now: {e.Message}");
        }
        catch (NonRetryableBlockException e)
        {
            // A secret that does not exist, a template that does not render: the alert cannot be sent until the
            // project changes, and its run has moved on by then.
            return new AlertSendResult(AlertSendOutcome.Failed, null, e.Message);
        }

        var facts = Facts(state, message, key) with { Message = text };
        return await sender.SendAsync(url, AlertPayloads.For(alert.Destination, facts), key, cancellationToken).ConfigureAwait(false);
    }

    // The run as it stood when the event was committed (the snapshot the outbox took), whenever the alert is sent.
    private AlertFacts Facts(RunState state, AlertWork message, string key)
    {
        var occurrence = message.Occurrence;
        var then = message.Snapshot ?? AlertSnapshot.Of(state, occurrence);
        return new AlertFacts(occurrence.Event, state.Pipeline, state.RunId, then.Status, state.Trigger, occurrence.At, key)
        {
            Block = occurrence.Block,
            Attempt = occurrence.Attempt,
            StartedAt = then.StartedAt,
            EndedAt = then.EndedAt,
            FailedBlocks = [.. then.Failed.Select(f => (f.Block, f.Error))],
            Link = settings.RunLink(state.RunId),
        };
    }
}
