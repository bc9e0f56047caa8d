namespace Duraflow.Engine.Runs;

/// <summary>The run, block and attempt that started a child run (<c>uses: pipeline:NAME</c>), which its end is reported to.</summary>
/// <param name="RunId">The parent run.</param>
/// <param name="Key">The parent's block or item that waits for the child.</param>
/// <param name="Attempt">That block's attempt: a retry starts a new child, and an old child's end is stale.</param>
/// <param name="Round">The parent's round when the child started, for the durable runtime's instance of it.</param>
internal sealed record ParentRun(string RunId, string Key, int Attempt, int Round);
