namespace Duraflow.Engine.Definitions;

/// <summary>The <c>retry</c> keys as written, each optional, so that a block can override single keys.</summary>
internal sealed record RetrySettings(int? Attempts, TimeSpan? Delay, BackoffKind? Backoff, double? Factor, TimeSpan? MaxDelay, double? Jitter)
{
    /// <summary><c>delay</c> written as a list; then <see cref="Delay"/> is its first item.</summary>
    public IReadOnlyList<TimeSpan>? Delays { get; init; }

    public IReadOnlyList<RetryMatch>? On { get; init; }

    public IReadOnlyList<RetryMatch>? NotOn { get; init; }

    public RetryPolicy ApplyTo(RetryPolicy policy) => new(
        Attempts ?? policy.Attempts,
        Delay ?? policy.Delay,
        Backoff ?? policy.Backoff,
        Factor ?? policy.Factor,
        MaxDelay ?? policy.MaxDelay,

        // A list of waits says exactly how long each retry waits, so it turns jitter off unless its own map sets one.
        Jitter ?? (Delays is not null ? 0 : policy.Jitter))
    {
        // A delay written here replaces the inherited one, list or not.
        Delays = Delay is null ? policy.Delays : Delays,
        On = On ?? policy.On,
        NotOn = NotOn ?? policy.NotOn,
    };
}
