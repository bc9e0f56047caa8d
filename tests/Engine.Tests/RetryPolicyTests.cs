using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests;

public class RetryPolicyTests
{
    [Fact]
    public void DelayBeforeRetry_Exponential_DoublesUpToTheCap()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(10), BackoffKind.Exponential, 2, TimeSpan.FromSeconds(30), 0);
        Assert.Equal(
            [10, 20, 30, 30],
            Enumerable.Range(1, 4).Select(n => policy.DelayBeforeRetry(n, random: 0).TotalSeconds));
    }

    [Fact]
    public void DelayBeforeRetry_LinearAndFixed_GrowAsNamed()
    {
        var linear = new RetryPolicy(4, TimeSpan.FromSeconds(2), BackoffKind.Linear, 2, TimeSpan.FromMinutes(1), 0);
        var fixedDelay = linear with { Backoff = BackoffKind.Fixed };
        Assert.Equal([2, 4, 6], Enumerable.Range(1, 3).Select(n => linear.DelayBeforeRetry(n, 0).TotalSeconds));
        Assert.Equal([2, 2, 2], Enumerable.Range(1, 3).Select(n => fixedDelay.DelayBeforeRetry(n, 0).TotalSeconds));
    }

    [Fact]
    public void DelayBeforeRetry_Jitter_ShortensByAtMostItsShare()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(10), BackoffKind.Fixed, 2, TimeSpan.FromMinutes(1), 0.5);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBeforeRetry(1, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(7.5), policy.DelayBeforeRetry(1, random: 0.5));
        Assert.True(policy.DelayBeforeRetry(1, random: 0.999) >= TimeSpan.FromSeconds(5));
    }
}
