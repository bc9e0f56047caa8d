namespace Duraflow.Engine.Definitions;

/// <summary>
/// A block's <c>repeat:</c>, the monitor pattern: after each successful run whose output does not yet satisfy
/// <paramref name="Until"/>, the block waits <paramref name="Every"/> on a durable timer (holding no worker) and runs
/// again, at most <paramref name="Max"/> runs in all. Such runs are not failures: they use no retries and log no error.
/// </summary>
/// <param name="Every">The wait between the end of one run and the start of the next.</param>
/// <param name="Until">A condition like <c>when</c>, over the block's latest output as <c>output</c>: <c>{{ output.state == 'done' }}</c>.</param>
/// <param name="Max">The most runs; when the last one's output still fails the condition, <paramref name="OnMax"/> says what follows.</param>
/// <param name="OnMax">What the block becomes after <paramref name="Max"/> runs: failed (without retries) or skipped.</param>
internal sealed record RepeatPolicy(TimeSpan Every, string Until, int Max, GiveUp OnMax)
{
    /// <summary>The name that stands for the block's latest output inside <see cref="Until"/>.</summary>
    public const string OutputRoot = "output";

    /// <summary>How many runs a <c>repeat</c> without <c>max</c> allows.</summary>
    public const int DefaultMax = 100;
}
