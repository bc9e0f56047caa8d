using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;

namespace Duraflow.Api.Http;

/// <summary>
/// How runs are shown as JSON, by the API (<c>GET /api/runs</c>, <c>GET /api/runs/{id}</c>) and by
/// <c>duraflow run|runs show|runs list|runs retry --json</c> alike: one view, written with <see cref="ApiJson"/>.
/// </summary>
internal static class RunJson
{
    /// <summary>A run in a list, linked under <paramref name="apiBase"/>, its workspace's routes.</summary>
    public static object Summary(RunSummary run, string apiBase) => new
    {
        run.RunId,
        run.Pipeline,
        Status = run.Status.ToSnakeCase(),
        run.Waiting,
        run.Trigger,
        run.RequestedAt,
        run.StartedAt,
        run.EndedAt,
        Location = RunLinks.Of(apiBase, run.RunId),
    };

    /// <summary>The run with its blocks, dead letters and alert deliveries, read from the store that <paramref name="committer"/> commits to; linked under <paramref name="apiBase"/>.</summary>
    public static async Task<object> DetailAsync(RunCommitter committer, RunState state, string apiBase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committer);
        ArgumentNullException.ThrowIfNull(state);
        var plan = await committer.PlanAsync(state.DefinitionHash, cancellationToken).ConfigureAwait(false);
        var deadLetters = await committer.Store.GetDeadLettersAsync(state.RunId, cancellationToken).ConfigureAwait(false);
        var alerts = await committer.Store.ListAlertsAsync(state.RunId, cancellationToken).ConfigureAwait(false);
        return Detail(state, plan, deadLetters, alerts, apiBase);
    }

    /// <summary>The run with its blocks in plan order, each fan-out item after its block.</summary>
    private static object Detail(RunState state, RunPlan plan, IReadOnlyList<DeadLetter> deadLetters, IReadOnlyList<AlertRecord> alerts, string apiBase)
    {
        var order = plan.Blocks
            .SelectMany(b => Enumerable.Range(0, state.Blocks.TryGetValue(b.Name, out var s) && s.Items is { } n && b.MappedOver is not null ? n : 0)
                .Select(i => InstanceKeys.Of(b.Name, i)).Prepend(b.Name))
            .Where(state.Blocks.ContainsKey)
            .ToList();

        // Keys of the state that the plan does not name (none today) are still shown rather than hidden.
        order.AddRange(state.Blocks.Keys.Except(order, StringComparer.Ordinal));
        return new
        {
            state.RunId,
            state.Pipeline,
            Status = state.Status.ToSnakeCase(),
            Waiting = state.IsWaiting,

            // Which runtime carries the run out: it keeps that runtime for its cancel and retry, whatever the default is now.
            Runtime = state.Runtime ?? RuntimeNames.Of(RuntimeKind.Duraflow),
            state.Trigger,
            state.TriggerValues,
            Parameters = SecretParameters.Masked(state.Parameters, plan),
            state.RequestedAt,
            state.StartedAt,
            state.EndedAt,
            state.Error,
            state.TimedOut,

            // What missed its SLA: "start", "run" or a block's name.
            state.SlasMissed,
            state.DefinitionHash,

            // A child run names the run and block that started it; a parent lists the child runs its blocks ran.
            Parent = state.Parent is { } parent ? new { parent.RunId, Block = parent.Key, parent.Attempt, Location = RunLinks.Of(apiBase, parent.RunId) } : null,
            Children = order.Where(key => state.Blocks[key].Child is not null)
                .Select(key => new { Block = key, RunId = state.Blocks[key].Child, Location = RunLinks.Of(apiBase, state.Blocks[key].Child!) }),
            Blocks = order.Select(key => Block(key, state.Blocks[key])),

            // The pinned plan's graph, for drawing the run as it was defined, whatever the files say now.
            Graph = plan.Blocks.Select(b => new { b.Name, b.Upstream, b.MappedOver, b.FanOut }),

            // What the run waits for now, longest waiting first; and every signal it received, taken or not.
            // (A mapped block's summary waits only through its items, which are listed.)
            Waits = order.Where(key => state.Blocks[key] is { Status: BlockStatus.Waiting, WaitingFor: not null })
                .OrderBy(key => state.Blocks[key].WaitingSince)
                .Select(key => new { Block = key, Waiting = Waiting(state.Blocks[key]) }),
            Signals = state.Signals.Select(s => new { s.Name, s.At, s.By, s.Key, s.TakenBy, s.Data }),
            DeadLetters = deadLetters.Select(d => new { d.Queue, d.Key, d.Deliveries, d.Reason, d.At }),

            // Each alert sent for the run: where to, for which event, and how its delivery went (never the URL: it is a secret).
            Alerts = alerts.Select(a => new
            {
                a.Key,
                Event = AlertEvents.Name(a.Event),
                Destination = AlertDestinations.Name(a.Destination),
                a.Block,
                Status = a.StatusName,
                a.Attempts,
                a.Detail,
                a.At,
            }),
        };
    }

    private static object? Waiting(BlockRunState block) =>
        block.WaitingFor is null ? null : new { For = block.WaitingFor, block.Signal, block.Limit, block.Child, Since = block.WaitingSince, Until = block.WaitUntil };

    private static object Block(string key, BlockRunState block)
    {
        // Small outputs are kept in the run itself (OutputReference); those are shown as JSON, larger ones by their artifact key.
        JsonElement? value = null;
        string? artifact = null;
        if (block.Output is { } reference)
        {
            if (OutputReference.TryGetInlineJson(reference, out var json))
            {
                using var document = JsonDocument.Parse(json);
                value = document.RootElement.Clone();
            }
            else
            {
                artifact = reference;
            }
        }

        return new
        {
            Name = key,
            Status = block.Status.ToSnakeCase(),
            block.Attempt,
            block.StartedAt,
            block.EndedAt,
            block.RetryAt,
            Waiting = Waiting(block),
            block.Repeats,
            block.Error,
            block.Items,
            block.Metrics,
            block.CachedFrom,
            Output = block.Output is null ? null : new { Artifact = artifact, Value = value },
        };
    }
}
