namespace Duraflow.Api.Generation;

/// <summary>What generating a block did.</summary>
/// <param name="Written">True when the files were written; false for a dry run or when no answer validated.</param>
/// <param name="Valid">True when the last answer validated.</param>
/// <param name="File">The block's file, relative to the project folder.</param>
/// <param name="Code">The last answer's file (the one written when <paramref name="Written"/>), or null when no answer held one.</param>
/// <param name="Diff">The change to the project as a unified diff: the new file and pipeline.yaml; empty when nothing validated.</param>
/// <param name="Attempts">How many answers were asked for: one, and one per repair round.</param>
/// <param name="Problems">Why the last answer did not validate; empty when it did.</param>
internal sealed record GenerationResult(bool Written, bool Valid, string File, string? Code, string Diff, int Attempts, IReadOnlyList<string> Problems);
