using Duraflow.Engine.Definitions;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Issue 20's named limits: duraflow.yaml's <c>limits:</c> read with located errors, blocks' and pipelines'
/// <c>limits:</c> checked against them, the ledger's arithmetic, and the decider's handling of a limit's wait.
/// </summary>
public class NamedLimitTests
{
    private static readonly DateTimeOffset T0 = Plans.T0;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    [Fact]
    public void Limits_are_read_from_duraflow_yaml()
    {
        var settings = Settings("limits:\n  github_api: { concurrency: 2, rate: 10/1m }\n  warehouse: { concurrency: 1 }\n  mail: { rate: 100 / 1h }\n", out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(new LimitDefinition("github_api", 2, 10, TimeSpan.FromMinutes(1)), settings.Limits["github_api"]);
        Assert.Equal(new LimitDefinition("warehouse", 1, null, null), settings.Limits["warehouse"]);
        Assert.Equal(new LimitDefinition("mail", null, 100, TimeSpan.FromHours(1)), settings.Limits["mail"]);
    }

    [Theory]
    [InlineData("limits: [a, b]", "DF011", "must be a map of named limits")]
    [InlineData("limits:\n  api: {}", "DF010", "sets neither 'concurrency' nor 'rate'")]
    [InlineData("limits:\n  api: { concurency: 2 }", "DF005", "did you mean 'concurrency'")]
    [InlineData("limits:\n  api: { concurrency: 0 }", "DF017", "at least 1")]
    [InlineData("limits:\n  api: { concurrency: 201 }", "DF017", "at most 200")]
    [InlineData("limits:\n  api: { concurrency: two }", "DF011", "whole number")]
    [InlineData("limits:\n  api: { rate: fast }", "DF017", "is not a rate; write starts per period, such as 10/1m")]
    [InlineData("limits:\n  api: { rate: 0/1m }", "DF017", "1 to 200 starts per period")]
    [InlineData("limits:\n  api: { rate: 10/2d }", "DF017", "period of at most 1d")]
    [InlineData("limits:\n  api: { rate: 10/0s }", "DF017", "is not a rate")]
    [InlineData("limits:\n  'bad name': { concurrency: 1 }", "DF004", "limit name 'bad name' is not valid")]
    [InlineData("limits:\n  api: { concurrency: 1 }\n  api: { concurrency: 2 }", "DF014", "")]
    public void Bad_limits_are_refused_where_they_are_written(string yaml, string code, string says)
    {
        Settings(yaml, out var diagnostics);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Contains(says, diagnostic.Message, StringComparison.Ordinal);
        Assert.True(diagnostic.Location.Line >= 1);
    }

    [Fact]
    public void A_block_or_pipeline_taking_an_undefined_limit_is_an_error_with_a_suggestion_and_a_plan_joins_both_lists()
    {
        using var folder = ProjectWithLimits("""
              - { name: a, uses: csv.read, with: { path: a.csv }, limits: [github_apy] }
              - { name: b, uses: csv.read, with: { path: b.csv }, limits: [github_api, github_api] }
              - { name: c, uses: csv.read, with: { path: c.csv }, limits: [github_api] }
            """);

        var validation = ProjectValidator.Validate(folder.Root);

        Assert.Equal([("DF003", 5), ("DF031", 4)], validation.Diagnostics.Select(d => (d.Code, d.Location.Line)).Order());
        Assert.All(validation.Diagnostics, d => Assert.EndsWith("pipeline.yaml", d.Location.File, StringComparison.Ordinal));
        Assert.Contains("did you mean 'github_api'", validation.Diagnostics.Single(d => d.Code == "DF031").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_gives_each_block_its_own_limits_and_its_pipelines_but_a_wait_block_none()
    {
        using var folder = ProjectWithLimits("""
              - { name: a, uses: csv.read, with: { path: a.csv }, limits: [github_api] }
              - { name: pause, uses: wait.for, with: { duration: 1s } }
            """);

        var pipeline = Assert.Single(ProjectValidator.Validate(folder.Root).Pipelines);
        var plan = RunPlanner.Plan(pipeline);

        Assert.Equal(["github_api", "warehouse"], plan.Block("a").Limits!);
        Assert.Null(plan.Block("pause").Limits);
    }

    [Fact]
    public void Concurrency_admits_up_to_its_bound_a_holder_again_without_counting_twice_and_a_dead_holder_after_its_lease()
    {
        var limit = new LimitDefinition("api", 2, null, null);
        var ledger = new LimitLedger();

        Assert.Null(ledger.TryTake(limit, "a", T0, T0 + Lease, Poll));
        Assert.Null(ledger.TryTake(limit, "b", T0, T0 + Lease, Poll));
        Assert.Null(ledger.TryTake(limit, "a", T0.AddSeconds(1), T0.AddSeconds(1) + Lease, Poll));
        Assert.Equal(T0.AddSeconds(2), ledger.TryTake(limit, "c", T0.AddSeconds(1), T0.AddSeconds(1) + Lease, Poll));

        Assert.True(ledger.Release("b"));
        Assert.Null(ledger.TryTake(limit, "c", T0.AddSeconds(2), T0.AddSeconds(2) + Lease, Poll));

        // 'a' dies: its lease runs out and its share is taken by another.
        var later = T0.AddSeconds(1) + Lease;
        Assert.Null(ledger.TryTake(limit, "d", later, later + Lease, Poll));
        Assert.False(ledger.Renew("a", later + Lease));
        Assert.Equal(["c", "d"], ledger.Holders.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_undone_take_gives_back_its_start_and_a_released_one_keeps_it()
    {
        var limit = new LimitDefinition("mail", null, 1, TimeSpan.FromMinutes(1));
        var ledger = new LimitLedger();

        Assert.Null(ledger.TryTake(limit, "refused-later", T0, T0 + Lease, Poll));
        Assert.True(ledger.Undo("refused-later"));
        Assert.Null(ledger.TryTake(limit, "ran", T0, T0 + Lease, Poll));
        Assert.True(ledger.Release("ran"));
        Assert.Equal(T0.AddMinutes(1), ledger.TryTake(limit, "next", T0.AddSeconds(1), T0 + Lease, Poll));
    }

    [Fact]
    public void Asking_again_waits_longer_each_time_up_to_fifteen_seconds()
    {
        Assert.Equal([1, 2, 4, 8, 15, 15], Enumerable.Range(0, 5).Append(40).Select(n => NamedLimits.PollAfter(n).TotalSeconds));
    }

    [Fact]
    public void A_rate_admits_its_starts_per_window_and_says_exactly_when_the_next_start_is_free()
    {
        var limit = new LimitDefinition("mail", null, 3, TimeSpan.FromSeconds(10));
        var ledger = new LimitLedger();
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(ledger.TryTake(limit, $"s{i}", T0.AddSeconds(i), T0.AddSeconds(i) + Lease, Poll));
            ledger.Release($"s{i}");
        }

        Assert.Equal(T0.AddSeconds(10), ledger.TryTake(limit, "s3", T0.AddSeconds(5), T0.AddSeconds(5) + Lease, Poll));
        Assert.Null(ledger.TryTake(limit, "s3", T0.AddSeconds(10), T0.AddSeconds(10) + Lease, Poll));
        Assert.Equal(3, ledger.Takes.Count);

        var stored = LimitLedger.Read(ledger.Write());
        Assert.Equal(ledger.Takes, stored.Takes);
        Assert.Equal(ledger.Holders, stored.Holders);
    }

    [Fact]
    public void A_limits_wait_schedules_a_new_attempt_that_keeps_the_whole_retry_budget()
    {
        var plan = Plans.Of(Plans.Block("call") with { Limits = ["api"], Retry = Plans.Retries(2) });
        var state = Plans.Accept(plan, Plans.Started(plan), new BlockStarted(T0, "call", 1, "w")).State;

        var waiting = Plans.Accept(plan, state, new BlockWaiting(T0, "call", 1, T0.AddSeconds(1), WaitKinds.Limit, Limit: "api"));
        Assert.Equal((BlockStatus.Waiting, "api", 1), (waiting.State.Block("call").Status, waiting.State.Block("call").Limit, waiting.State.Block("call").LimitWaits));
        var fired = Plans.Accept(plan, waiting.State, new WaitTimerFired(T0.AddSeconds(1), "call", 1));

        Assert.Equal(new DispatchBlock("call", 2), Assert.Single(fired.Commands));
        Assert.Null(fired.State.Block("call").Limit);

        // Asked again and refused again: one wait, shown since the first ask.
        var again = Plans.Accept(plan, Plans.Accept(plan, fired.State, new BlockStarted(T0.AddSeconds(1), "call", 2, "w")).State,
            new BlockWaiting(T0.AddSeconds(1), "call", 2, T0.AddSeconds(3), WaitKinds.Limit, Limit: "api"));
        Assert.Equal((T0, 2), (again.State.Block("call").WaitingSince!.Value, again.State.Block("call").LimitWaits));
        fired = Plans.Accept(plan, again.State, new WaitTimerFired(T0.AddSeconds(3), "call", 2));
        var started = Plans.Accept(plan, fired.State, new BlockStarted(T0.AddSeconds(3), "call", 3, "w")).State;
        var failed = Plans.Accept(plan, started, new BlockFailed(T0.AddSeconds(4), "call", 3, "IOException: flaky", true));
        Assert.Single(failed.Events.OfType<BlockRetrying>());
        Assert.Equal(0, failed.State.Block("call").LimitWaits);
    }

    // A project whose duraflow.yaml defines github_api and warehouse, and whose pipeline p takes warehouse for every block.
    private static TempFolder ProjectWithLimits(string blocks)
    {
        var folder = new TempFolder();
        folder.Write("duraflow.yaml", "limits:\n  github_api: { concurrency: 2 }\n  warehouse: { concurrency: 1 }\n");
        folder.Write("pipelines/p/pipeline.yaml", "name: p\nlimits: [warehouse]\nblocks:\n" + string.Concat(blocks.Split('\n').Select(l => "  " + l.Trim() + "\n").Where(l => l.Trim().Length > 0)));
        return folder;
    }

    private static ProjectSettings Settings(string yaml, out IReadOnlyList<Diagnostics.Diagnostic> diagnostics)
    {
        using var folder = new TempFolder();
        folder.Write("duraflow.yaml", yaml);
        var project = DuraflowProject.Open(folder.Root);
        diagnostics = project.SettingsDiagnostics;
        return project.Settings;
    }
}
