using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Issue 20's sub-pipelines: <c>uses: pipeline:NAME</c> and <c>output:</c> checked against the child's files with
/// located errors, and the decider's side of a child's end (both runtimes run them end to end in the acceptance suite).
/// </summary>
public class ChildPipelineTests
{
    private const string Child = """
        name: child
        parameters:
          region: { type: string, required: true }
          rows: { type: int, default: 1 }
        blocks:
          - { name: a, uses: csv.read, with: { path: a.csv } }
          - { name: b, uses: csv.read, with: { path: b.csv } }
        """;

    private static IReadOnlyList<Diagnostics.Diagnostic> Validate(string parent, string child)
    {
        using var folder = new TempFolder();
        folder.Write("duraflow.yaml", "name: t\n");
        folder.Write("pipelines/parent/pipeline.yaml", parent);
        folder.Write("pipelines/child/pipeline.yaml", child);
        return ProjectValidator.Validate(folder.Root).Diagnostics;
    }

    [Fact]
    public void A_child_with_an_output_and_its_parameters_is_valid_and_the_plan_names_the_output()
    {
        var diagnostics = Validate(
            "name: parent\nblocks:\n  - { name: run_child, uses: pipeline:child, with: { parameters: { region: north, rows: 3 } } }\n",
            Child + "\noutput: b\n");

        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("{ name: c, uses: pipeline:chlid, with: { parameters: { region: n } } }", Child, "DF032", "did you mean 'child'")]
    [InlineData("{ name: c, uses: pipeline:child, with: { parameters: { region: n, regoin: n } } }", Child + "\noutput: b\n", "DF032", "did you mean 'region'")]
    [InlineData("{ name: c, uses: pipeline:child }", Child + "\noutput: b\n", "DF032", "without its required parameter 'region'")]
    [InlineData("{ name: c, uses: pipeline:child, with: { parameters: { region: n } } }", Child, "DF032", "whose final blocks are a, b")]
    [InlineData("{ name: c, uses: pipeline:child, with: { parameters: { region: n } }, fan_out: true }", Child + "\noutput: b\n", "DF017", "'fan_out' has no effect on a block that runs a pipeline")]
    [InlineData("{ name: c, uses: pipeline:child, with: { parameters: { region: n }, mode: fast } }", Child + "\noutput: b\n", "DF005", "its only setting is parameters")]
    [InlineData("{ name: c, uses: pipeline:child, with: { parameters: [region] } }", Child + "\noutput: b\n", "DF011", "with.parameters must be a map")]
    [InlineData("{ name: c, uses: 'pipeline:Bad Name' }", Child, "DF013", "is not a pipeline name")]
    [InlineData("{ name: c, uses: pipelin:child }", Child, "DF013", "did you mean 'pipeline:'")]
    public void A_bad_child_is_refused_where_the_block_writes_it(string block, string child, string code, string says)
    {
        var diagnostics = Validate($"name: parent\nblocks:\n  - {block}\n", child);

        var diagnostic = Assert.Single(diagnostics, d => d.Location.File.Contains("parent", StringComparison.Ordinal));
        Assert.Equal(code, diagnostic.Code);
        Assert.Contains(says, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(3, diagnostic.Location.Line);
    }

    [Fact]
    public void An_output_that_names_no_block_is_refused_with_a_suggestion()
    {
        var diagnostics = Validate("name: parent\nblocks:\n  - { name: x, uses: csv.read, with: { path: x.csv } }\n", Child + "\noutput: bb\n");

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("DF001", diagnostic.Code);
        Assert.Contains("did you mean 'b'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipelines_that_run_each_other_are_a_cycle_error()
    {
        var diagnostics = Validate(
            "name: parent\nblocks:\n  - { name: c, uses: pipeline:child, with: { parameters: { region: n } } }\n",
            "name: child\nparameters:\n  region: { type: string, required: true }\nblocks:\n  - { name: back, uses: pipeline:parent }\n");

        Assert.Contains(diagnostics, d => d.Code == "DF002" && d.Message.Contains("parent → child → parent", StringComparison.Ordinal));
    }

    [Fact]
    public void A_childs_end_is_taken_only_by_the_attempt_that_started_it_and_a_failure_is_retried()
    {
        var plan = Plans.Of(Plans.Block("c") with { Uses = new BlockUses(BlockKind.Pipeline, "child"), Retry = Plans.Retries(2) });
        var state = Plans.Accept(plan, Plans.Started(plan), new BlockStarted(Plans.T0, "c", 1, "w")).State;
        state = Plans.Accept(plan, state, new BlockWaiting(Plans.T0, "c", 1, null, WaitKinds.Pipeline, Child: "child-1")).State;

        Assert.False(RunDecider.Decide(plan, state, new ChildRunEnded(Plans.T0, "c", 1, "child-0", RunStatus.Succeeded, "json:1", null)).Accepted);
        var failed = Plans.Accept(plan, state, new ChildRunEnded(Plans.T0, "c", 1, "child-1", RunStatus.Failed, null, "block a failed: boom"));

        Assert.Equal("child run child-1 failed: block a failed: boom", failed.State.Block("c").Error);
        Assert.Single(failed.Events.OfType<BlockRetrying>());
        Assert.Equal("child-1", failed.State.Block("c").Child);
    }

    [Fact]
    public void A_child_run_tells_its_parent_its_outputs_block_and_a_cancelled_parent_cancels_its_child()
    {
        var childPlan = Plans.Of(Plans.Block("a"), Plans.Block("b", "a")) with { Output = "a" };
        var parent = new ParentRun("parent-1", "c[2]", 3, 0);
        var started = Plans.Accept(childPlan, new RunState(), new RunRequested(Plans.T0, "child-1", "child", "h", new Dictionary<string, JsonElement>(), "pipeline", Parent: parent)).State;
        started = Plans.Accept(childPlan, started, new RunStarted(Plans.T0)).State;
        started = Plans.Succeed(childPlan, started, "a");
        started = Plans.Accept(childPlan, started, new BlockStarted(Plans.T0, "b", 1, "w")).State;

        var ended = Plans.Accept(childPlan, started, new BlockSucceeded(Plans.T0, "b", 1, "json:2"));

        var notify = Assert.Single(ended.Commands.OfType<NotifyParent>());
        Assert.Equal(parent, notify.Parent);
        Assert.Equal(new ChildRunEnded(Plans.T0, "c[2]", 3, "child-1", RunStatus.Succeeded, "out/a", null), notify.Ended);

        var plan = Plans.Of(Plans.Block("c") with { Uses = new BlockUses(BlockKind.Pipeline, "child") });
        var waiting = Plans.Accept(plan, Plans.Accept(plan, Plans.Started(plan), new BlockStarted(Plans.T0, "c", 1, "w")).State,
            new BlockWaiting(Plans.T0, "c", 1, null, WaitKinds.Pipeline, Child: "child-9")).State;
        var cancelled = Plans.Accept(plan, waiting, new CancelRequested(Plans.T0, "by hand"));
        Assert.Equal(new CancelChildRun("child-9", "its parent run run-1 was cancelled"), Assert.Single(cancelled.Commands.OfType<CancelChildRun>()));
        Assert.Equal(RunStatus.Cancelled, cancelled.State.Status);
    }

    [Fact]
    public void A_child_that_ends_before_its_parent_records_the_wait_still_ends_the_block_and_the_late_wait_is_refused()
    {
        var plan = Plans.Of(Plans.Block("c") with { Uses = new BlockUses(BlockKind.Pipeline, "child") });
        var state = Plans.Accept(plan, Plans.Started(plan), new BlockStarted(Plans.T0, "c", 1, "w")).State;

        var ended = Plans.Accept(plan, state, new ChildRunEnded(Plans.T0, "c", 1, "child-1", RunStatus.Succeeded, "json:7", null));
        var late = RunDecider.Decide(plan, ended.State, new BlockWaiting(Plans.T0, "c", 1, null, WaitKinds.Pipeline, Child: "child-1"));

        Assert.Equal((BlockStatus.Succeeded, "json:7", "child-1"), (ended.State.Block("c").Status, ended.State.Block("c").Output, ended.State.Block("c").Child));
        Assert.Equal(RunStatus.Succeeded, ended.State.Status);
        Assert.False(late.Accepted);
    }

    [Fact]
    public void Only_a_block_that_runs_a_pipeline_reports_a_child()
    {
        var plan = Plans.Of(Plans.Block("plain"));
        var state = Plans.Accept(plan, Plans.Started(plan), new BlockStarted(Plans.T0, "plain", 1, "w")).State;

        Assert.Contains("runs no pipeline", RunDecider.Decide(plan, state, new BlockWaiting(Plans.T0, "plain", 1, null, WaitKinds.Pipeline, Child: "x")).Rejection, StringComparison.Ordinal);
    }
}
