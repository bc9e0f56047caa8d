using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Tests.Runs;
using Duraflow.Engine.Workers;

namespace Duraflow.Engine.Tests;

/// <summary>
/// Issue 20's retry schedules: <c>retry.delay</c> as a list of waits, and <c>retry.on</c> / <c>retry.not_on</c>
/// choosing which failures are retried; read from YAML, then decided by the pure decider both runtimes share.
/// </summary>
public class RetryScheduleTests
{
    private static readonly string[] HttpFailure = ["System.Net.Http.HttpRequestException", "System.Exception"];
    private static readonly string[] FileNotFound = ["System.IO.FileNotFoundException", "System.IO.IOException", "System.SystemException", "System.Exception"];

    private static RetryPolicy PipelineRetry(string retry)
    {
        var result = Definitions.Loading.Parse($"name: p\nretry: {retry}\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n");
        Assert.Empty(result.Diagnostics);
        return result.Definition!.Retry;
    }

    private static string OnlyError(string yaml)
    {
        var result = PipelineFixture.Check(yaml);
        Assert.False(result.IsValid);
        return Assert.Single(result.Diagnostics).ToString();
    }

    private static string PipelineError(string retry) =>
        OnlyError($"name: p\nretry: {retry}\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n");

    [Fact]
    public void A_delay_list_gives_each_retry_its_wait_and_repeats_the_last_without_jitter()
    {
        var policy = PipelineRetry("{ attempts: 6, delay: [2s, 5s, 15s] }");

        Assert.Equal([2, 5, 15, 15, 15], Enumerable.Range(1, 5).Select(n => policy.DelayBeforeRetry(n, random: 0.9).TotalSeconds));
        Assert.Equal(0, policy.Jitter);
    }

    [Fact]
    public void A_delay_list_keeps_the_jitter_its_own_map_sets_and_is_not_capped_by_the_default_max_delay()
    {
        var policy = PipelineRetry("{ attempts: 3, delay: [1h, 2h], jitter: 0.5 }");

        Assert.Equal(TimeSpan.FromHours(1), policy.DelayBeforeRetry(1, random: 0));
        Assert.Equal(TimeSpan.FromMinutes(90), policy.DelayBeforeRetry(2, random: 0.5));
    }

    [Fact]
    public void A_blocks_one_duration_delay_replaces_the_pipelines_list()
    {
        var result = Definitions.Loading.Parse("""
            name: p
            retry: { attempts: 4, delay: [1s, 2s] }
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
              - { name: b, uses: csv.read, with: { path: b.csv }, retry: { delay: 3s, backoff: fixed } }
            """);

        Assert.Empty(result.Diagnostics);
        var a = result.Definition!.Blocks.Single(b => b.Name == "a").Retry;
        var b = result.Definition!.Blocks.Single(b => b.Name == "b").Retry;
        Assert.Equal([1, 2, 2], Enumerable.Range(1, 3).Select(n => a.DelayBeforeRetry(n, 0).TotalSeconds));
        Assert.Null(b.Delays);
        Assert.Equal([3, 3, 3], Enumerable.Range(1, 3).Select(n => b.DelayBeforeRetry(n, 0).TotalSeconds));
        Assert.Equal(4, b.Attempts);
    }

    [Theory]
    [InlineData("{ delay: [] }", "p/pipeline.yaml:2:17: error DF017: pipeline 'retry' 'delay' lists 0 waits; list 1 to 100 durations")]
    [InlineData("{ delay: [2s, soon] }", "p/pipeline.yaml:2:22: error DF006: each wait of pipeline 'retry' 'delay' 'soon' is not a duration")]
    [InlineData("{ delay: [2s, [3s]] }", "p/pipeline.yaml:2:22: error DF011: each wait of pipeline 'retry' 'delay' must be a single value, not a list")]
    [InlineData("{ delay: [2s, 5s], backoff: linear }", "p/pipeline.yaml:2:36: error DF017: pipeline 'retry': 'backoff' has no effect when 'delay' is a list; each retry waits")]
    [InlineData("{ delay: [2s, 5s], max_delay: 1m }", "p/pipeline.yaml:2:38: error DF017: pipeline 'retry': 'max_delay' has no effect when 'delay' is a list;")]
    [InlineData("{ on: [] }", "p/pipeline.yaml:2:14: error DF017: pipeline 'retry' 'on' lists 0 entries")]
    [InlineData("{ on: [HttpRequestException, HttpRequestException] }", "p/pipeline.yaml:2:37: error DF017: pipeline 'retry' 'on' lists 'HttpRequestException' twice; remove one")]
    [InlineData("{ on: [\"429 too many\"] }", "p/pipeline.yaml:2:15: error DF017: pipeline 'retry' 'on' entry '429 too many' is not an exception type name (such as HttpRequestException or System.IO.IOException); to match the error's text write { message: \"429 too many\" }")]
    [InlineData("{ not_on: [{ message: \"(a\" }] }", "p/pipeline.yaml:2:30: error DF017: pipeline 'retry' 'not_on' 'message' '(a' is not a regular expression")]
    [InlineData("{ not_on: [{ message: \"(a)\\\\1\" }] }", "p/pipeline.yaml:2:30: error DF017: pipeline 'retry' 'not_on' 'message' '(a)\\1' uses what Duraflow does not run in patterns")]
    [InlineData("{ on: [{ message: [x] }] }", "p/pipeline.yaml:2:26: error DF011: pipeline 'retry' 'on' 'message' must be a single value, not a list")]
    [InlineData("{ on: { message: \"\" } }", "p/pipeline.yaml:2:25: error DF017: pipeline 'retry' 'on' 'message' must be 1 to 1000 characters long, not 0")]
    public void Bad_retry_schedules_are_refused_at_the_value_with_the_fix(string retry, string expected) =>
        Assert.StartsWith(expected, PipelineError(retry), StringComparison.Ordinal);

    [Fact]
    public void A_block_writing_backoff_over_the_pipelines_delay_list_is_told_where_the_list_comes_from() =>
        Assert.Contains(
            "'backoff' has no effect when 'delay' is a list (inherited from the pipeline's retry)",
            OnlyError("name: p\nretry: { attempts: 3, delay: [1s, 2s] }\nblocks:\n  - { name: a, uses: csv.read, retry: { backoff: 3 }, with: { path: a.csv } }\n"),
            StringComparison.Ordinal);

    [Fact]
    public void A_misspelt_pattern_key_is_named_with_a_suggestion()
    {
        var result = PipelineFixture.Check("name: p\nretry: { on: [{ mesage: x }] }\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n");

        Assert.False(result.IsValid);
        Assert.Contains(result.Diagnostics, d => d.ToString().StartsWith("p/pipeline.yaml:2:17: error DF005: unknown key 'mesage' in a pattern of pipeline 'retry' 'on'; did you mean 'message'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_entries_and_too_long_patterns_are_refused()
    {
        var names = string.Join(", ", Enumerable.Range(0, 51).Select(i => $"E{i}"));
        Assert.Contains("'on' lists 51 entries; list 1 to 50", PipelineError($"{{ on: [{names}] }}"), StringComparison.Ordinal);
        Assert.Contains("must be 1 to 1000 characters long, not 1001", PipelineError($"{{ on: [{{ message: {new string('a', 1001)} }}] }}"), StringComparison.Ordinal);
        var waits = string.Join(", ", Enumerable.Repeat("1s", 101));
        Assert.Contains("'delay' lists 101 waits", PipelineError($"{{ delay: [{waits}] }}"), StringComparison.Ordinal);
    }

    [Fact]
    public void On_matches_a_type_by_short_or_full_name_and_its_derived_types()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [IOException, System.Net.Http.HttpRequestException] }");

        Assert.True(policy.Retries(FileNotFound, "FileNotFoundException: missing"));
        Assert.True(policy.Retries(HttpFailure, "HttpRequestException: 503"));
        Assert.False(policy.Retries(["System.ArgumentException", "System.SystemException", "System.Exception"], "ArgumentException: bad"));
        Assert.False(policy.Retries(["Acme.MyIOException", "System.Exception"], "MyIOException: a name that only ends like one"));
    }

    [Fact]
    public void Not_on_wins_over_on_and_message_patterns_ignore_case()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [HttpRequestException], not_on: [{ message: \"status code 40[134]\" }] }");

        Assert.True(policy.Retries(HttpFailure, "HttpRequestException: Response status code 503 (Service Unavailable)"));
        Assert.False(policy.Retries(HttpFailure, "HttpRequestException: Response STATUS CODE 404 (Not Found)"));
    }

    [Fact]
    public void Failures_without_recorded_types_are_retried_whatever_on_says()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [HttpRequestException] }");

        Assert.True(policy.Retries(errorTypes: null, "the block activity failed: the worker died"));
    }

    [Fact]
    public void The_decider_retries_on_the_lists_due_times_and_stops_at_a_failure_on_does_not_name()
    {
        var retry = PipelineRetry("{ attempts: 5, delay: [1s, 3s], on: [TimeoutException] }");
        var plan = Plans.Of(Plans.Block("a") with { Retry = retry });
        var state = Plans.Started(plan);
        var timeout = new[] { "System.TimeoutException", "System.SystemException", "System.Exception" };
        var dueTimes = new List<TimeSpan>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failedAt = Plans.T0.AddMinutes(attempt);
            state = Plans.Accept(plan, state, new BlockStarted(failedAt, "a", attempt, "w")).State;
            var decision = Plans.Accept(plan, state, new BlockFailed(failedAt, "a", attempt, "timed out after 1m (block timeout)", true, timeout));
            var retrying = Assert.Single(decision.Events.OfType<BlockRetrying>());
            dueTimes.Add(retrying.DueAt - failedAt);
            state = Plans.Accept(plan, decision.State, new RetryTimerFired(retrying.DueAt, "a", attempt + 1)).State;
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], dueTimes);

        state = Plans.Accept(plan, state, new BlockStarted(Plans.T0.AddHours(1), "a", 4, "w")).State;
        var final = Plans.Accept(plan, state, new BlockFailed(Plans.T0.AddHours(1), "a", 4, "ArgumentException: bad input", true, ["System.ArgumentException", "System.Exception"]));
        Assert.Empty(final.Events.OfType<BlockRetrying>());
        Assert.Equal(BlockStatus.Failed, final.State.Block("a").Status);
        Assert.Equal(RunStatus.Failed, final.State.Status);
    }

    [Fact]
    public void A_block_failed_event_keeps_its_error_types_through_the_stores_json_and_old_events_read_without_them()
    {
        var failed = new BlockFailed(Plans.T0, "a", 1, "IOException: disk", true, FileNotFound);
        var read = (BlockFailed)System.Text.Json.JsonSerializer.Deserialize<RunEvent>(
            System.Text.Json.JsonSerializer.Serialize<RunEvent>(failed, EngineJson.Options), EngineJson.Options)!;
        Assert.Equal(FileNotFound, read.ErrorTypes);

        var old = (BlockFailed)System.Text.Json.JsonSerializer.Deserialize<RunEvent>(
            """{"type":"block_failed","at":"2026-11-24T06:00:00+00:00","key":"a","attempt":1,"error":"boom","retryable":true}""", EngineJson.Options)!;
        Assert.Null(old.ErrorTypes);
    }

    [Fact]
    public void A_wrapped_exception_is_matched_by_the_type_it_wraps()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [TimeoutException, HttpRequestException] }");

        var httpClientTimeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException("elapsed"));
        Assert.True(policy.Retries(ErrorTypes.Of(httpClientTimeout), "TaskCanceledException: The request was canceled"));
        var waited = new AggregateException(new InvalidOperationException("first"), new System.Net.Http.HttpRequestException("503"));
        Assert.True(policy.Retries(ErrorTypes.Of(waited), "AggregateException: One or more errors occurred."));
        Assert.False(policy.Retries(ErrorTypes.Of(new TaskCanceledException("cancelled")), "TaskCanceledException: cancelled"));
        Assert.Equal("System.TimeoutException", ErrorTypes.TimedOut[0]);
    }

    [Fact]
    public void Type_names_ignore_case_and_a_generic_exception_is_named_without_its_arguments()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [httprequestexception, \"Oops`1\"] }");

        Assert.True(policy.Retries(HttpFailure, "HttpRequestException: 503"));
        Assert.True(policy.Retries(ErrorTypes.Of(new Oops<int>()), "Oops`1: generic"));
    }

    [Fact]
    public void Message_patterns_see_the_errors_first_8192_characters()
    {
        var policy = PipelineRetry("{ attempts: 3, on: [{ message: deadlock }] }");

        Assert.True(policy.Retries(HttpFailure, "SqlException: deadlock victim " + new string('x', 100_000)));
        Assert.False(policy.Retries(HttpFailure, new string('x', RetryMatch.MatchedLength) + " deadlock"));
    }

    [Theory]
    [InlineData("{ delay: [1s, 400d] }", "each wait of pipeline 'retry' 'delay' 400d is longer than 365d")]
    [InlineData("{ delay: 1000d }", "pipeline 'retry' 'delay' 1000d is longer than 365d")]
    [InlineData("{ max_delay: 9999d }", "pipeline 'retry' 'max_delay' 9999d is longer than 365d")]
    public void Waits_longer_than_a_year_are_refused(string retry, string expected) =>
        Assert.Contains(expected, PipelineError(retry), StringComparison.Ordinal);

    [Fact]
    public void A_stored_plan_keeps_the_retry_schedule_and_a_plan_without_one_is_written_as_before()
    {
        var retry = PipelineRetry("{ attempts: 4, delay: [2s, 7s], on: [IOException], not_on: [{ message: \"disk full\" }] }");
        var plan = Plans.Of(Plans.Block("a") with { Retry = retry });

        var stored = RunPlan.FromJson(plan.ToJson()).Block("a").Retry;

        Assert.Equal([2, 7, 7], Enumerable.Range(1, 3).Select(n => stored.DelayBeforeRetry(n, 0.5).TotalSeconds));
        Assert.True(stored.Retries(FileNotFound, "FileNotFoundException: a.csv"));
        Assert.False(stored.Retries(FileNotFound, "IOException: Disk full"));
        Assert.False(stored.Retries(HttpFailure, "HttpRequestException: 503"));
        Assert.DoesNotContain("delays", Plans.Of(Plans.Block("a")).ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("not_on", Plans.Of(Plans.Block("a")).ToJson(), StringComparison.Ordinal);
    }

    private sealed class Oops<T> : Exception
    {
        public Oops()
            : base("generic")
        {
        }
    }
}
