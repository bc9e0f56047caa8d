using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Runtime;

/// <summary>Facts to decide on one run and commit, as one caller of <see cref="RunCommitter.ApplyAsync(string, IReadOnlyList{RunEvent}, RunCommitExtras?, CancellationToken)"/> asked.</summary>
internal sealed class CommitRequest(IReadOnlyList<RunEvent> inputs, RunCommitExtras extras, CancellationToken cancellationToken)
{
    public IReadOnlyList<RunEvent> Inputs { get; } = inputs;

    public RunCommitExtras Extras { get; } = extras;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The caller's decision, once its commit is done (or the exception that stopped it).</summary>
    public TaskCompletionSource<Decision> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Whether it may share a commit with other requests: plain reports that at most consume a message, log and set
    /// checkpoints. Creating a run, taking a concurrency slot and dead-lettering each need a commit of their own.
    /// </summary>
    public bool CanShare =>
        Extras is { Plan: null, IdempotencyKey: null, DeadLetterReason: null, EnforceConcurrency: false };
}
