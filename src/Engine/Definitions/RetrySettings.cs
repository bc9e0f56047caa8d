namespace Duraflow.Engine.Definitions;

/// <summary>The <c>retry</c> keys as written, each optional, so that a block can override single keys.</summary>
internal sealed record RetrySettings(int? Attempts, TimeSpan? Delay, BackoffKind? Backoff, double? Factor, TimeSpan? MaxDelay, double? Jitter)
{
    public RetryPolicy ApplyTo(RetryPolicy policy) => new(
        Attempts ?? policy.Attempts,
        Delay ?? policy.Delay,
        Backoff ?? policy.Backoff,
        Factor ?? policy.Factor,
        MaxDelay ?? policy.MaxDelay,
        Jitter ?? policy.Jitter);
}
