using Duraflow.Engine.Runs;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>Several reports decided as one decision, as a worker commits a block's start and its outcome together.</summary>
public class RunDeciderFoldTests
{
    private static readonly RunPlan Chain = Of(Block("a"), Block("b", "a"));

    [Fact]
    public void A_start_and_the_success_right_after_it_fold_into_the_decisions_made_one_by_one()
    {
        var state = Started(Chain);
        var started = new BlockStarted(T0, "a", 1, "w");
        var succeeded = new BlockSucceeded(T0.AddSeconds(1), "a", 1, "json:1");

        var folded = RunDecider.DecideAll(Chain, state, [started, succeeded]);

        var first = Accept(Chain, state, started);
        var second = Accept(Chain, first.State, succeeded);
        Assert.True(folded.Accepted);
        Assert.Equal([.. first.Events, .. second.Events], folded.Events);
        Assert.Equal([.. first.Commands, .. second.Commands], folded.Commands);
        Assert.Equal(second.State.ToJson(), folded.State.ToJson());
        Assert.Equal([new DispatchBlock("b", 1)], folded.Commands);
        Assert.Equal(T0, folded.State.Block("a").StartedAt);
        Assert.Equal(BlockStatus.Succeeded, folded.State.Block("a").Status);
        Assert.Equal(BlockStatus.Scheduled, state.Block("a").Status); // the state decided on is left as it was
    }

    [Fact]
    public void A_refused_input_is_skipped_and_the_rest_still_counts()
    {
        var running = Accept(Chain, Started(Chain), new BlockStarted(T0, "a", 1, "w")).State;
        var cancelling = Accept(Chain, running, new CancelRequested(T0, "test")).State;

        // A cancelling run refuses a start but takes the attempt's report that it stopped.
        var folded = RunDecider.DecideAll(Chain, cancelling, [new BlockStarted(T0, "a", 1, "w"), new BlockCancelled(T0, "a", 1)]);

        Assert.True(folded.Accepted);
        Assert.IsType<BlockCancelled>(folded.Events[0]);
        Assert.DoesNotContain(folded.Events, e => e is BlockStarted);
        Assert.Equal(RunStatus.Cancelled, folded.State.Status);
    }

    [Fact]
    public void When_every_input_is_refused_nothing_changes_and_every_reason_is_given()
    {
        var state = Succeed(Chain, Started(Chain), "a");

        var folded = RunDecider.DecideAll(Chain, state, [new BlockStarted(T0, "a", 1, "w"), new BlockSucceeded(T0, "a", 1, "json:2")]);

        Assert.False(folded.Accepted);
        Assert.Same(state, folded.State);
        Assert.Empty(folded.Events);
        Assert.Empty(folded.Commands);
        Assert.Equal(2, folded.Rejection!.Split("; ").Length);
        Assert.Equal("out/a", state.Block("a").Output);
    }
}
