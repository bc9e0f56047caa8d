using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Tests.Workers;

namespace Duraflow.Engine.Tests.Runtime;

/// <summary>
/// The engine's spans and metrics, as an OpenTelemetry collector sees them: a run's commits and block attempts in one
/// trace, whichever process ran them, with outcomes, and no secret in an error.
/// </summary>
public sealed class EngineTelemetryTests
{
    // Unique, so that measurements of other tests running at the same time are not counted.
    private const string Pipeline = "telemetry_probe";

    private static RunPlan Plan(params BlockPlan[] blocks) => new() { Pipeline = Pipeline, Blocks = blocks };

    private static BlockPlan Block(string name, params string[] upstream) =>
        new() { Name = name, Uses = new BlockUses(BlockKind.Script, $"{name}.csx"), Upstream = upstream, Retry = Plans.NoRetry };

    [Fact]
    public async Task A_run_s_commits_and_block_attempts_share_the_trace_derived_from_its_id()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EngineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var scenario = new ScenarioEngine((block, _) => block.Name == "b"
            ? throw new NonRetryableBlockException("the source is empty")
            : Task.FromResult<object?>(1));

        var runId = await scenario.StartAsync(Plan(Block("a"), Block("b", "a")));
        var final = await scenario.FinishAsync(runId);

        var trace = EngineTelemetry.RunContext(runId).TraceId;
        var mine = spans.Where(s => s.TraceId == trace).ToList();
        var blocks = mine.Where(s => s.OperationName == "duraflow.block").OrderBy(s => s.GetTagItem("duraflow.block.key")).ToList();
        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Equal(["a", "b"], blocks.Select(s => s.GetTagItem("duraflow.block.key")));
        Assert.Equal(["succeeded", "failed"], blocks.Select(s => s.GetTagItem("duraflow.block.outcome")));
        Assert.Equal((ActivityStatusCode.Error, "the source is empty"), (blocks[1].Status, blocks[1].StatusDescription));
        Assert.All(blocks, s => Assert.Equal(Pipeline, s.GetTagItem("duraflow.pipeline")));
        Assert.Contains(mine, s => s.OperationName == "duraflow.start" && (string?)s.GetTagItem("duraflow.trigger") == "test");
        Assert.Contains(mine, s => s.OperationName == "duraflow.commit" && (string?)s.GetTagItem("duraflow.commit.outcome") == "committed");
        Assert.All(mine, s => Assert.Equal(runId, s.GetTagItem("duraflow.run.id")));

        // Each block was taken from the queue in a receive span linked to the commit that sent it (the traceparent the
        // message carried), and the block's span links to that receive: the hop across the queue is in the trace.
        var senders = mine.Where(s => s.OperationName is "duraflow.commit" or "duraflow.start").Select(s => s.SpanId).ToHashSet();
        var receives = mine.Where(s => s.OperationName == "duraflow.receive" && (string?)s.GetTagItem("duraflow.queue") == "blocks").ToList();
        Assert.Equal(2, receives.Count);
        Assert.All(receives, r => Assert.Equal(ActivityKind.Consumer, r.Kind));
        Assert.All(receives, r => Assert.Contains(Assert.Single(r.Links).Context.SpanId, senders));
        Assert.All(blocks, b => Assert.Contains(receives, r => b.Links.Any(l => l.Context.SpanId == r.SpanId)));

        // The run's own span, from its start to its end, holds its blocks' spans in time.
        var run = Assert.Single(mine, s => s.OperationName == "duraflow.run");
        Assert.Equal(("failed", ActivityStatusCode.Error), (run.GetTagItem("duraflow.run.status"), run.Status));
        Assert.Equal(final.StartedAt!.Value.UtcDateTime, run.StartTimeUtc);
        Assert.Equal(final.EndedAt!.Value.UtcDateTime, run.StartTimeUtc + run.Duration);
        Assert.All(blocks, b => Assert.InRange(b.StartTimeUtc, run.StartTimeUtc, run.StartTimeUtc + run.Duration));
    }

    [Fact]
    public async Task Block_attempts_are_counted_and_timed_by_pipeline_and_outcome()
    {
        var attempts = new ConcurrentQueue<(long Value, string? Outcome)>();
        var durations = new ConcurrentQueue<double>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.Name && instrument.Name is "duraflow.block.attempts" or "duraflow.block.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (Tag(tags, "duraflow.pipeline") == Pipeline)
            {
                attempts.Enqueue((value, Tag(tags, "duraflow.block.outcome")));
            }
        });
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (Tag(tags, "duraflow.pipeline") == Pipeline)
            {
                durations.Enqueue(value);
            }
        });
        meters.Start();
        using var scenario = new ScenarioEngine((_, _) => Task.FromResult<object?>(1));

        await scenario.RunAsync(Plan(Block("a"), Block("b", "a"), Block("c", "a")));

        Assert.Equal([(1L, "succeeded"), (1L, "succeeded"), (1L, "succeeded")], attempts);
        Assert.Equal(3, durations.Count);
        Assert.All(durations, d => Assert.True(d >= 0));
    }

    [Fact]
    public async Task Runs_are_counted_by_status_as_they_start_and_end_and_retries_by_pipeline()
    {
        var runs = new ConcurrentQueue<string?>();
        var retries = new ConcurrentQueue<long>();
        var lags = new ConcurrentQueue<(string? Queue, double Seconds)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.Name && instrument.Name is "duraflow.runs" or "duraflow.block.retries" or "duraflow.queue.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "duraflow.pipeline") != Pipeline)
            {
                return;
            }

            if (instrument.Name == "duraflow.runs")
            {
                runs.Enqueue($"{value} {Tag(tags, EngineTelemetry.RunStatusTag)}");
            }
            else
            {
                retries.Enqueue(value);
            }
        });
        // The lag carries the queue only, so other tests' work may be measured too: only its presence and sign are checked.
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) => lags.Enqueue((Tag(tags, EngineTelemetry.Queue), value)));
        meters.Start();
        var failures = 0;
        using var scenario = new ScenarioEngine((block, _) => block.Name == "flaky" && Interlocked.Increment(ref failures) <= 2
            ? throw new InvalidOperationException("not yet")
            : Task.FromResult<object?>(1));

        await scenario.RunAsync(Plan(Block("a")));
        await scenario.RunAsync(Plan(new BlockPlan { Name = "flaky", Uses = new BlockUses(BlockKind.Script, "flaky.csx"), Retry = Plans.Retries(3, delayMs: 1) }));

        Assert.Equal(["1 started", "1 succeeded", "1 started", "1 succeeded"], runs);
        Assert.Equal([1L, 1L], retries);
        Assert.Contains(lags, l => l.Queue == "blocks");
        Assert.Contains(lags, l => l.Queue == "orchestration");
        Assert.All(lags, l => Assert.True(l.Seconds >= 0));
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
