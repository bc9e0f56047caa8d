using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>What a commit carries besides the decision.</summary>
internal sealed record RunCommitExtras
{
    /// <summary>The plan, when creating a run.</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>The idempotency key, when creating a run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The message the decision consumes.</summary>
    public LeasedWork? Consumed { get; init; }

    /// <summary>Further consumed messages, of reports committed together with this one (see <see cref="RunCommitLanes"/>).</summary>
    public IReadOnlyList<LeasedWork> AlsoConsumed { get; init; } = [];

    /// <summary>Dead-letter the consumed message with this reason instead of deleting it.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>Block log lines.</summary>
    public IReadOnlyList<LogLine> Logs { get; init; } = [];

    /// <summary>Commit only if the pipeline's <c>concurrency</c> limit leaves a slot (used when starting a run).</summary>
    public bool EnforceConcurrency { get; init; }
}
