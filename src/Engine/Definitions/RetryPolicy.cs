namespace Duraflow.Engine.Definitions;

/// <summary>
/// When and how often a failed block is tried again. A block's policy is the pipeline's <c>retry</c> with the
/// block's own <c>retry</c> keys laid over it, key by key.
/// </summary>
/// <param name="Attempts">Total attempts including the first; 1 means no retry.</param>
/// <param name="Delay">The wait before the first retry.</param>
/// <param name="Backoff">How the wait grows.</param>
/// <param name="Factor">The growth factor for exponential backoff.</param>
/// <param name="MaxDelay">No wait is longer than this.</param>
/// <param name="Jitter">A fraction in [0, 1]: each wait is shortened by up to this share, at random, to spread retries.</param>
internal sealed record RetryPolicy(int Attempts, TimeSpan Delay, BackoffKind Backoff, double Factor, TimeSpan MaxDelay, double Jitter)
{
    /// <summary>The policy when nothing is configured: one attempt, and if retries are enabled, 10s doubling to 10m.</summary>
    public static RetryPolicy Default { get; } = new(1, TimeSpan.FromSeconds(10), BackoffKind.Exponential, 2.0, TimeSpan.FromMinutes(10), 0.1);

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first retry), given a uniform random
    /// number in [0, 1) for the jitter. Pure, so the engine can store the result as a durable timer.
    /// </summary>
    public TimeSpan DelayBeforeRetry(int retry, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var baseTicks = Backoff switch
        {
            BackoffKind.Fixed => Delay.Ticks,
            BackoffKind.Linear => Delay.Ticks * (double)retry,
            _ => Delay.Ticks * Math.Pow(Factor, retry - 1),
        };
        var capped = Math.Min(baseTicks, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (1 - (Jitter * random))));
    }
}
