using System.Text.Json;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Tests.Alerts;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Tests;

namespace Duraflow.Durable.Tests;

/// <summary>
/// One acceptance suite, run on each runtime (a subclass per runtime): the same pipelines must give the same block
/// results, retries and run outcomes whether the engine's own workers or Durable Task carry them out.
/// </summary>
public abstract partial class RuntimeAcceptance : IDisposable
{
    private protected TempFolder Project { get; } = new();

    public void Dispose()
    {
        Project.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected abstract Task<RuntimeUnderTest> OpenAsync();

    [Fact]
    public async Task A_chain_passes_each_output_to_the_next_block()
    {
        Project.Write("pipelines/chain/a.csx", "return 1;");
        Project.Write("pipelines/chain/b.csx", "return Input<int>(\"a\") + 1;");
        Project.Write("pipelines/chain/c.csx", "return Input<int>(\"b\") * 10;");
        Project.Write("pipelines/chain/pipeline.yaml", """
            name: chain
            blocks:
              - { name: a, uses: script:a.csx }
              - { name: b, uses: script:b.csx }
              - { name: c, uses: script:c.csx }
            """);
        await using var runtime = await OpenAsync();

        var state = await runtime.WaitAsync(await runtime.StartAsync("chain"));

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("20", await runtime.OutputAsync(state, "c"));
        Assert.All(["a", "b", "c"], b => Assert.Equal(1, state.Block(b).Attempt));
    }

    [Fact]
    public async Task A_failing_run_sends_each_alert_once_from_the_change_that_caused_it()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        Project.Write("pipelines/alerting/down.csx", "throw new InvalidOperationException(\"the source is down\");");
        Project.Write("pipelines/alerting/pipeline.yaml", """
            name: alerting
            blocks:
              - { name: down, uses: script:down.csx, retry: { attempts: 2, delay: 1s, jitter: 0 } }
            alerts:
              - on: [started, retrying, failed, succeeded]
                webhook: RECEIVER
                message: "{{ run.pipeline }} was started by {{ run.trigger }}"
            """.Replace("RECEIVER", receiver.Url, StringComparison.Ordinal));
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("alerting");
        var state = await runtime.WaitAsync(runId);
        var records = await runtime.AlertsAsync(runId, 3);

        Assert.Equal(RunStatus.Failed, state.Status);
        string[] keys = [$"{runId}/alert/0/failed/0", $"{runId}/alert/0/retrying/0/down/2", $"{runId}/alert/0/started/0"];
        Assert.Equal(keys, records.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal((AlertDeliveryStatus.Delivered, 1), (r.Status, r.Attempts)));
        Assert.Equal(keys, receiver.Received.Select(r => r.Key!).Order(StringComparer.Ordinal));
        var failed = JsonDocument.Parse(receiver.Received.Single(r => r.Key == keys[0]).Body).RootElement;
        Assert.Equal("alerting was started by test", failed.GetProperty("message").GetString());
        Assert.Equal("InvalidOperationException: the source is down", failed.GetProperty("failed_blocks")[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_run_and_a_block_past_their_sla_raise_sla_missed_once_each_and_the_run_goes_on()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        // Four seconds past its SLA, so that a loaded machine firing the timer late still finds it running.
        Project.Write("pipelines/late/slow.csx", "await Task.Delay(6000, CancellationToken); return 1;");
        Project.Write("pipelines/late/pipeline.yaml", """
            name: late
            sla: 1s
            blocks:
              - { name: slow, uses: script:slow.csx, sla: 2s }
            alerts:
              - on: [sla_missed]
                webhook: RECEIVER
            """.Replace("RECEIVER", receiver.Url, StringComparison.Ordinal));
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("late");
        var state = await runtime.WaitAsync(runId);
        var records = await runtime.AlertsAsync(runId, 2);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var misses = events.OfType<SlaMissed>().ToList();
        Assert.Equal(["run", "slow"], misses.Select(m => m.Subject).Order(StringComparer.Ordinal));
        var started = events.OfType<RunStarted>().Single().At;
        var blockStarted = events.OfType<BlockStarted>().Single().At;
        var runMiss = misses.Single(m => m.Key is null).At - started;
        var blockMiss = misses.Single(m => m.Key == "slow").At - blockStarted;
        Assert.True(runMiss >= TimeSpan.FromSeconds(1) && runMiss < TimeSpan.FromSeconds(5), $"the run's SLA was missed {runMiss} after its start");
        Assert.True(blockMiss >= TimeSpan.FromSeconds(2) && blockMiss < TimeSpan.FromSeconds(5), $"the block's SLA was missed {blockMiss} after its start");
        Assert.Equal([$"{runId}/alert/0/sla_missed/0", $"{runId}/alert/0/sla_missed/0/slow"], records.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task A_block_failing_twice_succeeds_on_its_third_attempt_after_the_configured_delays()
    {
        Project.Write("pipelines/flaky/flaky.csx", """
            if (Attempt < 3) throw new InvalidOperationException("not yet: attempt " + Attempt);
            return Attempt;
            """);
        Project.Write("pipelines/flaky/pipeline.yaml", """
            name: flaky
            blocks:
              - { name: flaky, uses: script:flaky.csx, retry: { attempts: 3, delay: 1s, backoff: 2, jitter: 0 } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("flaky");
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("3", await runtime.OutputAsync(state, "flaky"));
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var failures = events.OfType<BlockFailed>().ToList();
        Assert.Equal([1, 2], failures.Select(f => f.Attempt));
        Assert.Contains("not yet: attempt 1", failures[0].Error, StringComparison.Ordinal);

        // 1 s, then 2 s (backoff 2): each next attempt is scheduled no earlier than its retry's due time.
        var retries = events.OfType<BlockRetrying>().ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], retries.Zip(failures, (r, f) => r.DueAt - f.At));
        foreach (var retry in retries)
        {
            var scheduled = events.OfType<BlockScheduled>().Single(s => s.Attempt == retry.NextAttempt);
            Assert.True(scheduled.At >= retry.DueAt, $"attempt {retry.NextAttempt} was scheduled at {scheduled.At:O}, before its due time {retry.DueAt:O}");
        }
    }

    [Fact]
    public async Task Retry_schedules_wait_their_listed_delays_and_retry_only_the_failures_they_name()
    {
        Project.Write("pipelines/schedules/listed.csx", """
            if (Attempt < 3) throw new InvalidOperationException("not yet: attempt " + Attempt);
            return Attempt;
            """);
        Project.Write("pipelines/schedules/refused.csx", "throw new ArgumentException(\"a bad row, trying again cannot help\");");
        Project.Write("pipelines/schedules/slow_once.csx", """
            if (Attempt == 1) await Task.Delay(Timeout.Infinite, CancellationToken);
            return Attempt;
            """);
        Project.Write("pipelines/schedules/pipeline.yaml", """
            name: schedules
            blocks:
              - { name: listed, uses: script:listed.csx, retry: { attempts: 4, delay: [1s, 2s], on: [InvalidOperationException] } }
              - { name: refused, uses: script:refused.csx, retry: { attempts: 3, delay: 1s, not_on: [{ message: "cannot help" }] } }
              - { name: slow_once, uses: script:slow_once.csx, timeout: 1s, retry: { attempts: 2, delay: [1s], on: [TimeoutException] } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("schedules");
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.Equal("3", await runtime.OutputAsync(state, "listed"));
        Assert.Equal("2", await runtime.OutputAsync(state, "slow_once"));
        Assert.Equal(BlockStatus.Failed, state.Block("refused").Status);
        Assert.Equal(1, state.Block("refused").Attempt);

        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var listedFailures = events.OfType<BlockFailed>().Where(f => f.Key == "listed").ToList();
        Assert.All(listedFailures, f => Assert.Equal("System.InvalidOperationException", f.ErrorTypes![0]));
        var listedRetries = events.OfType<BlockRetrying>().Where(r => r.Key == "listed").ToList();

        // The list's waits, exactly: a list turns jitter off.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], listedRetries.Zip(listedFailures, (r, f) => r.DueAt - f.At));
        foreach (var retry in listedRetries)
        {
            var scheduled = events.OfType<BlockScheduled>().Single(s => s.Key == "listed" && s.Attempt == retry.NextAttempt);
            Assert.True(scheduled.At >= retry.DueAt, $"attempt {retry.NextAttempt} was scheduled at {scheduled.At:O}, before its due time {retry.DueAt:O}");
        }

        Assert.DoesNotContain(events.OfType<BlockRetrying>(), r => r.Key == "refused");
        var timedOut = events.OfType<BlockFailed>().Single(f => f.Key == "slow_once");
        Assert.Equal("System.TimeoutException", timedOut.ErrorTypes![0]);
        Assert.Single(events.OfType<BlockRetrying>(), r => r.Key == "slow_once");
    }

    [Fact]
    public async Task A_monitor_repeats_its_block_on_a_durable_timer_until_the_output_says_done()
    {
        // The attempt number stands in for an outside job that finishes on the third look.
        Project.Write("pipelines/monitor/status.csx", "return new { state = Attempt >= 3 ? \"done\" : \"running\", look = Attempt };");
        Project.Write("pipelines/monitor/never.csx", "return new { state = \"running\" };");
        Project.Write("pipelines/monitor/report.csx", "return \"finished after \" + Input<System.Text.Json.JsonElement>(\"status\").GetProperty(\"look\").GetInt32();");
        Project.Write("pipelines/monitor/pipeline.yaml", """
            name: monitor
            blocks:
              - { name: status, uses: script:status.csx, repeat: { every: 1s, until: "{{ output.state == 'done' }}", max: 5 } }
              - { name: report, uses: script:report.csx, upstream: [status] }
              - { name: gives_up, uses: script:never.csx, repeat: { every: 1s, until: "{{ output.state == 'done' }}", max: 2, on_max: skip } }
              - { name: fails, uses: script:never.csx, retry: { attempts: 3, delay: 1s }, repeat: { every: 1s, until: "{{ output.state == 'done' }}", max: 2 } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("monitor");
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.Equal("\"finished after 3\"", await runtime.OutputAsync(state, "report"));
        Assert.Equal(3, state.Block("status").Attempt);
        Assert.Equal(BlockStatus.Skipped, state.Block("gives_up").Status);
        Assert.Equal(BlockStatus.Failed, state.Block("fails").Status);
        Assert.StartsWith("repeat: until was still false after 2 runs (max 2)", state.Block("fails").Error, StringComparison.Ordinal);

        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var unmet = events.OfType<BlockUntilFalse>().Where(e => e.Key == "status").ToList();
        var waits = events.OfType<BlockWaiting>().Where(e => e.Key == "status").ToList();
        Assert.Equal([1, 2], unmet.Select(e => e.Attempt));
        Assert.Equal(unmet.Select(e => e.At + TimeSpan.FromSeconds(1)), waits.Select(w => w.Until!.Value));
        foreach (var wait in waits)
        {
            var next = events.OfType<BlockScheduled>().Single(s => s.Key == "status" && s.Attempt == wait.Attempt + 1);
            Assert.True(next.At >= wait.Until, $"run {next.Attempt} was scheduled at {next.At:O}, before its wait ended at {wait.Until:O}");
        }

        // Runs whose output fails the condition are not failures: no retries, and the last one fails without retrying.
        Assert.DoesNotContain(events, e => e is BlockFailed f && f.Key == "status");
        Assert.DoesNotContain(events, e => e is BlockRetrying);
        Assert.Equal(2, state.Block("fails").Attempt);
    }

    [Fact]
    public async Task Wait_blocks_hold_the_run_until_their_time_without_a_worker_and_pass_the_time_on()
    {
        Project.Write("pipelines/waits/deadline.csx", "return new { at = DateTimeOffset.UtcNow.AddSeconds(2).ToString(\"O\") };");
        Project.Write("pipelines/waits/after.csx", "return Input<System.Text.Json.JsonElement>(\"until_deadline\").GetProperty(\"until\").GetString();");
        Project.Write("pipelines/waits/pipeline.yaml", """
            name: waits
            parameters:
              pause: { type: string, default: 1s }
            blocks:
              - { name: pause, uses: wait.for, with: { duration: "{{ params.pause }}" } }
              - { name: deadline, uses: script:deadline.csx }
              - { name: until_deadline, uses: wait.until, with: { time: "{{ blocks.deadline.at }}" } }
              - { name: after, uses: script:after.csx, upstream: [until_deadline] }
              - { name: past, uses: wait.until, with: { time: "2020-01-01T00:00:00Z" } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("waits", """{ "pause": "2s" }""");
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var pause = events.OfType<BlockWaiting>().Single(w => w.Key == "pause");
        Assert.Equal("wait.for", pause.For);
        Assert.Equal(TimeSpan.FromSeconds(2), pause.Until - pause.At);
        var deadline = events.OfType<BlockWaiting>().Single(w => w.Key == "until_deadline");
        Assert.Equal("wait.until", deadline.For);
        foreach (var wait in new[] { pause, deadline })
        {
            var ended = events.OfType<BlockSucceeded>().Single(s => s.Key == wait.Key);
            Assert.True(ended.At >= wait.Until, $"{wait.Key} ended at {ended.At:O}, before {wait.Until:O}");
        }

        // The time the wait ended is its output, read downstream like any output.
        var passedOn = System.Text.Json.JsonSerializer.Deserialize<string>(await runtime.OutputAsync(state, "after"))!;
        Assert.Equal(deadline.Until, DateTimeOffset.Parse(passedOn, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(BlockStatus.Succeeded, state.Block("past").Status);
    }

    [Fact]
    public async Task An_approval_and_signals_reach_their_waits_once_each_even_when_sent_early()
    {
        Project.Write("pipelines/approvals/publish.csx", """
            var approval = Input<System.Text.Json.JsonElement>("approve");
            return approval.GetProperty("by").GetString() + " said " + approval.GetProperty("comment").GetString();
            """);
        Project.Write("pipelines/approvals/pipeline.yaml", """
            name: approvals
            blocks:
              - { name: approve, uses: wait.approval, with: { name: publish, timeout: 1h } }
              - { name: publish, uses: script:publish.csx, upstream: [approve] }
              - { name: gate, uses: wait.signal, with: { name: go } }
              - { name: early, uses: wait.signal, with: { name: early-bird }, upstream: [gate] }
              - { name: nobody, uses: wait.signal, with: { name: never, timeout: 1s, on_timeout: skip } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("approvals");
        await runtime.WaitAsync(runId, s => s.Blocks["approve"].Status == BlockStatus.Waiting && s.Blocks["gate"].Status == BlockStatus.Waiting);

        // Sent before 'early' waits (it waits behind 'gate'): kept until then.
        Assert.True((await SignalAsync(runtime, runId, "early-bird", """{ "n": 5 }""")).Accepted);
        var approval = await SignalAsync(runtime, runId, "publish", """{ "approved": true, "comment": "ship it" }""", key: "ticket-7");
        var again = await SignalAsync(runtime, runId, "publish", """{ "approved": true, "comment": "ship it" }""", key: "ticket-7");
        Assert.True(approval.Accepted);
        Assert.True(again.Accepted || again.Rejection!.Contains("ticket-7", StringComparison.Ordinal), again.Rejection);
        Assert.True((await SignalAsync(runtime, runId, "go", null)).Accepted);
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("\"acceptance said ship it\"", await runtime.OutputAsync(state, "publish"));
        Assert.Equal("""{"n":5}""", await runtime.OutputAsync(state, "early"));
        Assert.Equal(BlockStatus.Skipped, state.Block("nobody").Status);
        Assert.StartsWith("no signal 'never' came within 1s", state.Block("nobody").Error, StringComparison.Ordinal);

        // The repeated approval counted once: three signals, each taken by the block of its name.
        Assert.Equal(
            [("early-bird", "early"), ("publish", "approve"), ("go", "gate")],
            state.Signals.Select(s => (s.Name, s.TakenBy!)).OrderBy(s => s.Item1 == "early-bird" ? 0 : s.Item1 == "publish" ? 1 : 2));
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        Assert.Single(events.OfType<SignalReceived>(), e => e.Name == "publish");
    }

    [Fact]
    public async Task A_rejected_approval_fails_its_block_without_retries_and_a_finished_run_takes_no_signal()
    {
        Project.Write("pipelines/rejected/pipeline.yaml", """
            name: rejected
            retry: { attempts: 3, delay: 1s }
            blocks:
              - { name: approve, uses: wait.approval, with: { name: deploy } }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("rejected");
        await runtime.WaitAsync(runId, s => s.Blocks["approve"].Status == BlockStatus.Waiting);
        var unreadable = await SignalAsync(runtime, runId, "deploy", """{ "approved": "yes" }""");
        Assert.False(unreadable.Accepted);
        Assert.Contains("waits for approval 'deploy'", unreadable.Rejection, StringComparison.Ordinal);
        Assert.True((await SignalAsync(runtime, runId, "deploy", """{ "approved": false, "comment": "not on a Friday" }""")).Accepted);
        var state = await runtime.WaitAsync(runId);

        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.Equal("not approved by acceptance: not on a Friday", state.Block("approve").Error);
        Assert.Equal(1, state.Block("approve").Attempt);
        var late = await SignalAsync(runtime, runId, "deploy", """{ "approved": true }""");
        Assert.False(late.Accepted);
        Assert.Contains("only a pending or running run takes signals", late.Rejection, StringComparison.Ordinal);
    }

    private static Task<RunChange> SignalAsync(RuntimeUnderTest runtime, string runId, string name, string? data, string? key = null) =>
        runtime.Runtime.SignalAsync(
            runId,
            new SendSignal(name, data is null ? null : System.Text.Json.JsonDocument.Parse(data).RootElement.Clone(), key, "acceptance"),
            CancellationToken.None);

    [Fact]
    public async Task A_named_limit_of_two_holds_ten_parallel_items_to_two_at_a_time_and_a_rate_spaces_their_starts()
    {
        Project.Write("duraflow.yaml", """
            workers: { parallelism: 8 }
            limits:
              api: { concurrency: 2 }
              burst: { rate: 3/2s }
            """);
        Project.Write("pipelines/limited/items.csx", "return Enumerable.Range(0, 10).ToArray();");
        Project.Write("pipelines/limited/call.csx", """
            var start = DateTimeOffset.UtcNow;
            await Task.Delay(600, CancellationToken);
            return new { start, end = DateTimeOffset.UtcNow };
            """);
        Project.Write("pipelines/limited/pipeline.yaml", """
            name: limited
            blocks:
              - { name: items, uses: script:items.csx, fan_out: true }
              - { name: call, uses: script:call.csx, upstream: [items], limits: [api], retry: { attempts: 1 } }
              - { name: burst, uses: script:call.csx, upstream: [items, call], limits: [burst] }
            """);
        await using var runtime = await OpenAsync();

        var state = await runtime.WaitAsync(await runtime.StartAsync("limited"));

        Assert.Equal(RunStatus.Succeeded, state.Status);
        var calls = await SpansAsync(runtime, state, "call");
        var most = calls.SelectMany(c => new[] { (c.Start, 1), (c.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2)
            .Aggregate((Now: 0, Most: 0), (acc, e) => (acc.Now + e.Item2, Math.Max(acc.Most, acc.Now + e.Item2))).Most;
        Assert.Equal(2, most);

        // No more than 3 starts in any 2 s (less a little for the time between taking the limit and the code starting;
        // the script is compiled by then, as 'call' ran it first).
        var starts = (await SpansAsync(runtime, state, "burst")).Select(b => b.Start).Order().ToList();
        for (var i = 3; i < starts.Count; i++)
        {
            Assert.True(starts[i] - starts[i - 3] >= TimeSpan.FromSeconds(1.8), $"4 starts within {starts[i] - starts[i - 3]}");
        }

        // Waiting for the limit is not a failure: no retry was used, though the blocks asked more than once.
        var events = await runtime.Engine.Store.GetEventsAsync(state.RunId, CancellationToken.None);
        Assert.DoesNotContain(events, e => e is BlockFailed);
        Assert.Contains(events.OfType<BlockWaiting>(), w => w is { For: "limit", Limit: "api" });
    }

    private static async Task<List<(DateTimeOffset Start, DateTimeOffset End)>> SpansAsync(RuntimeUnderTest runtime, RunState state, string block)
    {
        var spans = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var i = 0; i < 10; i++)
        {
            using var output = System.Text.Json.JsonDocument.Parse(await runtime.OutputAsync(state, $"{block}[{i}]"));
            spans.Add((output.RootElement.GetProperty("start").GetDateTimeOffset(), output.RootElement.GetProperty("end").GetDateTimeOffset()));
        }

        return spans;
    }

    [Fact]
    public async Task A_parent_fans_out_over_a_child_pipeline_and_collects_its_outputs_and_a_failed_child_is_retried_as_a_new_one()
    {
        Project.Write("duraflow.yaml", "workers: { parallelism: 4 }\n");
        Project.Write("pipelines/region/fetch.csx", "return new { region = Param<string>(\"region\"), rows = Param<long>(\"rows\") };");
        Project.Write("pipelines/region/double.csx", """
            var fetched = Input<System.Text.Json.JsonElement>("fetch");
            if (fetched.GetProperty("region").GetString() == "flaky" && Attempt == 1 && !System.IO.File.Exists(Param<string>("marker")))
            {
                System.IO.File.WriteAllText(Param<string>("marker"), "failed once");
                throw new InvalidOperationException("the region's source was down");
            }

            return fetched.GetProperty("rows").GetInt64() * 2;
            """);
        Project.Write("pipelines/region/pipeline.yaml", """
            name: region
            parameters:
              region: { type: string, required: true }
              rows: { type: int, default: 1 }
              marker: { type: string, default: none }
            output: double
            blocks:
              - { name: fetch, uses: script:fetch.csx }
              - { name: double, uses: script:double.csx }
              - { name: audit, uses: script:fetch.csx }
            """);
        Project.Write("pipelines/all/regions.csx", "return new[] { \"north\", \"flaky\", \"south\" };");
        Project.Write("pipelines/all/total.csx", "return Input<long[]>(\"each\").Sum();");
        Project.Write("pipelines/all/pipeline.yaml", $$$"""
            name: all
            blocks:
              - { name: regions, uses: script:regions.csx, fan_out: true }
              - name: each
                uses: pipeline:region
                retry: { attempts: 2, delay: 1s }
                with: { parameters: { region: "{{ blocks.regions }}", rows: 21, marker: "{{{Project.PathOf("marker").Replace("\\", "/")}}}" } }
              - { name: total, uses: script:total.csx }
            """);
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("all");
        var state = await runtime.WaitAsync(runId);

        Assert.True(state.Status == RunStatus.Succeeded, state.Error);
        Assert.Equal("126", await runtime.OutputAsync(state, "total"));

        // Each item ran a child of its own, which names its parent; the flaky item's second attempt ran a new child.
        var children = Enumerable.Range(0, 3).Select(i => state.Block($"each[{i}]").Child!).ToList();
        Assert.Equal(3, children.Distinct().Count());
        foreach (var (child, i) in children.Select((c, i) => (c, i)))
        {
            var childState = (await runtime.Engine.Store.GetRunAsync(child, CancellationToken.None))!.State;
            Assert.Equal((runId, $"each[{i}]"), (childState.Parent!.RunId, childState.Parent.Key));
            Assert.Equal(RunStatus.Succeeded, childState.Status);
        }

        Assert.Equal(2, state.Block("each[1]").Attempt);
        var events = await runtime.Engine.Store.GetEventsAsync(runId, CancellationToken.None);
        var failedChild = events.OfType<BlockWaiting>().First(w => w.Key == "each[1]" && w.Attempt == 1).Child!;
        Assert.NotEqual(children[1], failedChild);
        Assert.Equal(RunStatus.Failed, (await runtime.Engine.Store.GetRunAsync(failedChild, CancellationToken.None))!.State.Status);
    }

    [Fact]
    public async Task Cancelling_a_parent_cancels_the_child_it_waits_for()
    {
        Project.Write("pipelines/slow/wait.csx", "await Task.Delay(Timeout.Infinite, CancellationToken); return 1;");
        Project.Write("pipelines/slow/pipeline.yaml", "name: slow\nblocks:\n  - { name: forever, uses: script:wait.csx }\n");
        Project.Write("pipelines/parent/pipeline.yaml", "name: parent\nblocks:\n  - { name: child, uses: pipeline:slow }\n");
        await using var runtime = await OpenAsync();

        var runId = await runtime.StartAsync("parent");
        var waiting = await runtime.WaitAsync(runId, s => s.Blocks["child"] is { Status: BlockStatus.Waiting, Child: not null });
        var child = waiting.Block("child").Child!;
        await runtime.WaitAsync(child, s => s.Blocks["forever"].Status == BlockStatus.Running);
        Assert.True((await runtime.Runtime.CancelAsync(runId, "test", CancellationToken.None)).Accepted);

        Assert.Equal(RunStatus.Cancelled, (await runtime.WaitAsync(runId)).Status);
        var childState = await runtime.WaitAsync(child);
        Assert.Equal(RunStatus.Cancelled, childState.Status);
        Assert.Contains($"its parent run {runId} was cancelled", childState.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sql_block_reads_the_output_of_the_block_before_it()
    {
        Project.Write("pipelines/sums/rows.csx", "return new[] { new { n = 1L }, new { n = 2L }, new { n = 4L } };");
        Project.Write("pipelines/sums/total.sql", "select cast(sum(n) as bigint) as total from {{ blocks.rows }}");
        Project.Write("pipelines/sums/check.csx", """
            public record Total(long total);
            return Input<Total[]>("total")[0].total;
            """);
        Project.Write("pipelines/sums/pipeline.yaml", """
            name: sums
            blocks:
              - { name: rows, uses: script:rows.csx }
              - { name: total, uses: sql:total.sql }
              - { name: check, uses: script:check.csx }
            """);
        await using var runtime = await OpenAsync();

        var state = await runtime.WaitAsync(await runtime.StartAsync("sums"));

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("7", await runtime.OutputAsync(state, "check"));
    }

    [Fact]
    public async Task A_fan_out_runs_a_block_per_item_and_the_fan_in_reads_them_all()
    {
        Project.Write("pipelines/fan/list.csx", "return new[] { 1, 2, 3, 4 };");
        Project.Write("pipelines/fan/square.csx", "var n = Input<int>(\"list\"); return n * n;");
        Project.Write("pipelines/fan/total.csx", "return Input<int[]>(\"square\").Sum();");
        Project.Write("pipelines/fan/pipeline.yaml", """
            name: fan
            blocks:
              - { name: list, uses: script:list.csx, fan_out: true }
              - { name: square, uses: script:square.csx }
              - { name: total, uses: script:total.csx }
            """);
        await using var runtime = await OpenAsync();

        var state = await runtime.WaitAsync(await runtime.StartAsync("fan"));

        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("30", await runtime.OutputAsync(state, "total"));
        Assert.Equal(["1", "4", "9", "16"], await Task.WhenAll(Enumerable.Range(0, 4).Select(i => runtime.OutputAsync(state, $"square[{i}]"))));
    }

    [Fact]
    public async Task A_false_when_skips_the_block_and_the_blocks_that_need_it()
    {
        Project.Write("pipelines/gate/one.csx", "return 1;");
        Project.Write("pipelines/gate/pipeline.yaml", """
            name: gate
            parameters: { go: { type: bool, default: false } }
            blocks:
              - { name: first, uses: script:one.csx }
              - { name: gated, uses: script:one.csx, upstream: [first], when: "{{ params.go }}" }
              - { name: after, uses: script:one.csx, upstream: [gated] }
            """);
        await using var runtime = await OpenAsync();

        var skipped = await runtime.WaitAsync(await runtime.StartAsync("gate"));
        var ran = await runtime.WaitAsync(await runtime.StartAsync("gate", """{ "go": true }"""));

        Assert.Equal(RunStatus.Succeeded, skipped.Status);
        Assert.Equal(BlockStatus.Succeeded, skipped.Block("first").Status);
        Assert.Equal(BlockStatus.Skipped, skipped.Block("gated").Status);
        Assert.Equal(BlockStatus.Skipped, skipped.Block("after").Status);
        Assert.Equal(RunStatus.Succeeded, ran.Status);
        Assert.Equal(BlockStatus.Succeeded, ran.Block("after").Status);
    }

    [Fact]
    public async Task A_block_that_outlasts_its_timeout_fails_and_so_does_the_run()
    {
        Project.Write("pipelines/slow/slow.csx", "await Task.Delay(Timeout.Infinite, CancellationToken); return 1;");
        Project.Write("pipelines/slow/one.csx", "return 1;");
        Project.Write("pipelines/slow/pipeline.yaml", """
            name: slow
            blocks:
              - { name: slow, uses: script:slow.csx, timeout: 1s, retry: { attempts: 1 } }
              - { name: after, uses: script:one.csx, upstream: [slow] }
            """);
        await using var runtime = await OpenAsync();

        var state = await runtime.WaitAsync(await runtime.StartAsync("slow"));

        Assert.Equal(RunStatus.Failed, state.Status);
        Assert.Equal(BlockStatus.Failed, state.Block("slow").Status);
        Assert.Contains("timed out after 1s", state.Block("slow").Error, StringComparison.Ordinal);
        Assert.Equal(BlockStatus.UpstreamFailed, state.Block("after").Status);
    }

    [Fact]
    public async Task Cancel_stops_the_running_block_and_ends_the_run_cancelled()
    {
        Project.Write("pipelines/wait/wait.csx", "await Task.Delay(Timeout.Infinite, CancellationToken); return 1;");
        Project.Write("pipelines/wait/one.csx", "return 1;");
        Project.Write("pipelines/wait/pipeline.yaml", """
            name: wait
            blocks:
              - { name: wait, uses: script:wait.csx }
              - { name: after, uses: script:one.csx, upstream: [wait] }
            """);
        await using var runtime = await OpenAsync();
        var runId = await runtime.StartAsync("wait");
        await runtime.WaitAsync(runId, s => s.Status == RunStatus.Running && s.Block("wait").Status is BlockStatus.Scheduled or BlockStatus.Running);

        var change = await runtime.Runtime.CancelAsync(runId, "test", CancellationToken.None);
        var state = await runtime.WaitAsync(runId);

        Assert.True(change.Accepted, change.Rejection);
        Assert.Equal(RunStatus.Cancelled, state.Status);
        Assert.Equal(BlockStatus.Cancelled, state.Block("wait").Status);
        Assert.Equal(BlockStatus.Cancelled, state.Block("after").Status);
    }

    [Fact]
    public async Task A_retried_run_reruns_its_failed_blocks_and_reuses_the_outputs_of_the_others()
    {
        Project.Write("pipelines/again/first.csx", """
            File.AppendAllText(Path.Combine(ProjectRoot, "first.log"), "ran\n");
            return 5;
            """);
        Project.Write("pipelines/again/second.csx", """
            if (!File.Exists(Path.Combine(ProjectRoot, "go"))) throw new NonRetryableBlockException("no go file yet");
            return Input<int>("first") * 2;
            """);
        Project.Write("pipelines/again/pipeline.yaml", """
            name: again
            blocks:
              - { name: first, uses: script:first.csx }
              - { name: second, uses: script:second.csx }
            """);
        await using var runtime = await OpenAsync();
        var runId = await runtime.StartAsync("again");
        var failed = await runtime.WaitAsync(runId);
        Project.Write("go", "");

        var change = await runtime.Runtime.SignalAsync(runId, new RetryFailedBlocks(), CancellationToken.None);
        var state = await runtime.WaitAsync(runId, s => s.Round == 1 && s.Status.IsTerminal());

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.True(change.Accepted, change.Rejection);
        Assert.Equal(RunStatus.Succeeded, state.Status);
        Assert.Equal("10", await runtime.OutputAsync(state, "second"));
        Assert.Equal("ran\n", File.ReadAllText(Project.PathOf("first.log")));
    }

    [Fact]
    public async Task Concurrency_one_holds_a_second_run_until_the_first_ends()
    {
        WriteHeldPipeline("one_at_a_time");
        await using var runtime = await OpenAsync();
        var first = await runtime.StartAsync("one_at_a_time");
        await runtime.WaitAsync(first, s => s.Status == RunStatus.Running);
        var second = await runtime.StartAsync("one_at_a_time");

        // The second asks for a slot while the first holds it (the slot is polled on a timer).
        await runtime.WaitUntilRefusedASlotAsync(second);
        var waiting = (await runtime.Engine.Store.GetRunAsync(second, CancellationToken.None))!.State;
        var stillFirst = await runtime.Engine.Store.GetRunAsync(first, CancellationToken.None);
        Project.Write("release", "");
        var firstDone = await runtime.WaitAsync(first);
        var secondDone = await runtime.WaitAsync(second);

        Assert.Equal(RunStatus.Pending, waiting.Status);
        Assert.Equal(RunStatus.Running, stillFirst!.State.Status);
        Assert.Equal(RunStatus.Succeeded, firstDone.Status);
        Assert.Equal(RunStatus.Succeeded, secondDone.Status);
        Assert.True(secondDone.StartedAt >= firstDone.EndedAt, $"the second run started at {secondDone.StartedAt:O}, before the first ended at {firstDone.EndedAt:O}");
    }
    [Fact]
    public async Task A_scheduled_run_still_waiting_for_its_slot_past_its_start_sla_misses_it_once()
    {
        WriteHeldPipeline("late_start");
        await using var runtime = await OpenAsync();
        var first = await runtime.StartAsync("late_start");
        await runtime.WaitAsync(first, s => s.Status == RunStatus.Running);

        // As the schedule ticker starts a run whose schedule has start_sla: 1s.
        var startBy = DateTimeOffset.UtcNow.AddSeconds(1);
        var tick = new RunTrigger(RunTrigger.Schedule, new Dictionary<string, System.Text.Json.JsonElement>()) { StartBy = startBy };
        var second = await runtime.StartAsync("late_start", trigger: tick);
        var missed = await runtime.WaitAsync(second, s => s.SlasMissed.Contains("start"));
        Project.Write("release", "");
        var secondDone = await runtime.WaitAsync(second);

        Assert.Equal(RunStatus.Pending, missed.Status);
        Assert.Equal(RunStatus.Succeeded, secondDone.Status);
        var sla = Assert.Single((await runtime.Engine.Store.GetEventsAsync(second, CancellationToken.None)).OfType<SlaMissed>());
        Assert.True(sla.Start && sla.At >= startBy, $"the start SLA was missed at {sla.At:O}, its deadline {startBy:O}");
    }
    // A pipeline of one run at a time whose block holds until the test writes the file "release".
    private void WriteHeldPipeline(string name)
    {
        Project.Write($"pipelines/{name}/hold.csx", """
            while (!File.Exists(Path.Combine(ProjectRoot, "release"))) await Task.Delay(20, CancellationToken);
            return RunId;
            """);
        Project.Write($"pipelines/{name}/pipeline.yaml", $"name: {name}\nconcurrency: 1\nblocks:\n  - {{ name: hold, uses: script:hold.csx }}\n");
    }
}

/// <summary>The suite on the engine's own runtime.</summary>
public sealed class DuraflowRuntimeAcceptanceTests : RuntimeAcceptance
{
    private protected override Task<RuntimeUnderTest> OpenAsync() => Task.FromResult<RuntimeUnderTest>(new EngineRuntimeUnderTest(Project));
}

/// <summary>The suite on Durable Task, through the real worker and sidecar on Azurite.</summary>
[Trait("Requires", "Azurite")]
public sealed class DurableRuntimeAcceptanceTests : RuntimeAcceptance
{
    private protected override async Task<RuntimeUnderTest> OpenAsync() => await DurableRuntimeUnderTest.StartAsync(Project);
}
