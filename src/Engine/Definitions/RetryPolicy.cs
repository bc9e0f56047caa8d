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
    /// The waits written as a list (<c>delay: [2s, 5s, 15s]</c>): retry <i>n</i> waits the <i>n</i>th, the last one
    /// repeating; backoff and max_delay do not apply. Null when <see cref="Delay"/> grows by <see cref="Backoff"/>.
    /// </summary>
    public IReadOnlyList<TimeSpan>? Delays { get; init; }

    /// <summary>When set, only failures matching one of these are retried (<c>retry.on</c>).</summary>
    public IReadOnlyList<RetryMatch>? On { get; init; }

    /// <summary>Failures matching one of these are not retried (<c>retry.not_on</c>), even when <see cref="On"/> matches.</summary>
    public IReadOnlyList<RetryMatch>? NotOn { get; init; }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first retry), given a uniform random
    /// number in [0, 1) for the jitter. Pure, so the engine can store the result as a durable timer.
    /// </summary>
    public TimeSpan DelayBeforeRetry(int retry, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        double capped;
        if (Delays is { Count: > 0 } delays)
        {
            capped = delays[Math.Min(retry, delays.Count) - 1].Ticks;
        }
        else
        {
            var baseTicks = Backoff switch
            {
                BackoffKind.Fixed => Delay.Ticks,
                BackoffKind.Linear => Delay.Ticks * (double)retry,
                _ => Delay.Ticks * Math.Pow(Factor, retry - 1),
            };
            capped = Math.Min(baseTicks, MaxDelay.Ticks);
        }

        return TimeSpan.FromTicks((long)(capped * (1 - (Jitter * random))));
    }

    /// <summary>
    /// Whether <c>retry.on</c> and <c>retry.not_on</c> let a retryable failure be tried again. A failure that carries
    /// no exception types (<paramref name="errorTypes"/> null: the platform failed to run the attempt, or an event
    /// recorded before these keys existed) is not the block's own error, so they do not judge it: it is retried.
    /// </summary>
    public bool Retries(IReadOnlyList<string>? errorTypes, string error)
    {
        if (errorTypes is null)
        {
            return true;
        }

        return (On is null || On.Any(m => m.Matches(errorTypes, error))) && (NotOn is null || !NotOn.Any(m => m.Matches(errorTypes, error)));
    }
}
