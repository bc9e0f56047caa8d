using System.Text.Json.Nodes;
using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Tests;

public class PipelineLoaderTests
{
    private const string FullPipeline = """
        name: orders
        description: Daily orders
        tags: [sales, daily]
        parameters:
          day: date
          min_amount: { type: number, default: 2.5 }
          region: { type: string, default: eu, allowed: [eu, us], description: Sales region }
          since: { type: datetime, default: "2026-11-24T06:00:00+01:00" }
          options: { type: json, default: { full: true, tables: [a, b] } }
          limit: { type: int, required: true }
        retry: { attempts: 3, delay: 10s, backoff: linear, max_delay: 2m, jitter: 0.25 }
        timeout: 1h
        concurrency: 2
        sla: 45m
        blocks:
          - name: load
            uses: script:blocks/load.csx
            with:
              path: "landing/{{ params.day }}.csv"
              header: true
              delimiter: ";"
              columns: [id, amount]
              limit: 10
              ratio: 0.5
              none: ~
          - name: clean
            description: Cleans rows
            uses: script:blocks/clean.csx
            upstream: [load]
            retry: { attempts: 5 }
            timeout: 5m
            when: "{{ params.min_amount > 0 }}"
            fan_out: true
            cache: { ttl: 1d, key: "{{ params.day }}" }
          - name: export
            uses: script:blocks/export.csx
            upstream: clean
            cache: true
        triggers:
          - schedule: { cron: "0 6 * * 1-5", timezone: Europe/Berlin, catch_up: all }
          - schedule: { cron: "*/5 * * * *", catch_up: false }
          - blob_created: { connection: lake, container: landing, prefix: orders/, suffix: .csv }
          - http: { enabled: false }
        alerts:
          - on: [failed, sla_missed]
            webhook: https://hooks.example.com/x
            message: "run {{ run.id }} failed"
        """;

    [Fact]
    public void Parse_FullPipeline_GivesTypedDefinition()
    {
        var result = Definitions.Loading.Parse(FullPipeline);
        Assert.Empty(result.Diagnostics);
        var p = result.Definition!;

        Assert.Equal("orders", p.Name);
        Assert.Equal("Daily orders", p.Description);
        Assert.Equal(["sales", "daily"], p.Tags);
        Assert.Equal(TimeSpan.FromHours(1), p.Timeout);
        Assert.Equal(2, p.Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(45), p.Sla);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(10), BackoffKind.Linear, 2.0, TimeSpan.FromMinutes(2), 0.25), p.Retry);
        Assert.Equal(new Diagnostics.SourceLocation("p/pipeline.yaml", 1, 7), p.Location);
    }

    [Fact]
    public void Parse_Parameters_AreTypedWithConvertedDefaults()
    {
        var parameters = Definitions.Loading.Parse(FullPipeline).Definition!.Parameters.ToDictionary(x => x.Name);

        Assert.Equal(ParameterType.Date, parameters["day"].Type);
        Assert.Null(parameters["day"].Default);
        Assert.Equal(2.5, parameters["min_amount"].Default);
        Assert.Equal("eu", parameters["region"].Default);
        Assert.Equal(["eu", "us"], parameters["region"].Allowed);
        Assert.Equal("Sales region", parameters["region"].Description);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.FromHours(1)), parameters["since"].Default);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"full":true,"tables":["a","b"]}"""), (JsonNode)parameters["options"].Default!));
        Assert.True(parameters["limit"].Required);
        Assert.Equal(ParameterType.Int, parameters["limit"].Type);
    }

    [Fact]
    public void Parse_Blocks_CarryConfigRetryOverridesAndOptions()
    {
        var blocks = Definitions.Loading.Parse(FullPipeline).Definition!.Blocks;
        var load = blocks[0];
        var clean = blocks[1];
        var export = blocks[2];

        Assert.Equal(new BlockUses(BlockKind.Script, "blocks/load.csx"), load.Uses);
        Assert.Equal("landing/{{ params.day }}.csv", load.With["path"]);
        Assert.Equal(true, load.With["header"]);
        Assert.Equal(";", load.With["delimiter"]);
        Assert.Equal(new List<object?> { "id", "amount" }, load.With["columns"]);
        Assert.Equal(10L, load.With["limit"]);
        Assert.Equal(0.5, load.With["ratio"]);
        Assert.Null(load.With["none"]);

        // The block's retry keys are laid over the pipeline's: attempts changes, the rest is inherited.
        Assert.Equal(5, clean.Retry.Attempts);
        Assert.Equal(BackoffKind.Linear, clean.Retry.Backoff);
        Assert.Equal(TimeSpan.FromMinutes(2), clean.Retry.MaxDelay);
        Assert.Equal(3, load.Retry.Attempts);

        Assert.Equal(TimeSpan.FromMinutes(5), clean.Timeout);
        Assert.True(clean.FanOut);
        Assert.Equal("{{ params.min_amount > 0 }}", clean.When);
        Assert.Equal(new CachePolicy(TimeSpan.FromDays(1), "{{ params.day }}"), clean.Cache);
        Assert.Equal(new CachePolicy(null, null), export.Cache);
        Assert.Null(load.Cache);
        Assert.Equal(["load"], clean.ExplicitUpstream.Select(r => r.Name));
        Assert.Equal(["clean"], export.ExplicitUpstream.Select(r => r.Name));
    }

    [Fact]
    public void Parse_TemplateReferencesInWithAndWhen_AreLocatedInsideTheScalar()
    {
        var blocks = Definitions.Loading.Parse(FullPipeline).Definition!.Blocks;

        var fromWith = Assert.Single(blocks[0].TemplateReferences);
        Assert.Equal(("params", "day"), (fromWith.Root, fromWith.Name));

        // Line 19 is `      path: "landing/{{ params.day }}.csv"`: the value's quote is at column 13.
        Assert.Equal(new Diagnostics.SourceLocation("p/pipeline.yaml", 19, 25), fromWith.Location);
        Assert.Equal("min_amount", Assert.Single(blocks[1].TemplateReferences, r => r.Root == "params" && r.Location.Line == 32).Name);
    }

    [Fact]
    public void Parse_TriggersAndAlerts_AreTyped()
    {
        var p = Definitions.Loading.Parse(FullPipeline).Definition!;

        Assert.Collection(
            p.Triggers,
            t => Assert.Equal(("0 6 * * 1-5", "Europe/Berlin", CatchUpPolicy.All), (((ScheduleTrigger)t).Cron, ((ScheduleTrigger)t).TimeZone, ((ScheduleTrigger)t).CatchUp)),
            t => Assert.Equal(((string?)null, CatchUpPolicy.None), (((ScheduleTrigger)t).TimeZone, ((ScheduleTrigger)t).CatchUp)),
            t => Assert.Equal(("lake", "landing", "orders/", ".csv"), (((BlobCreatedTrigger)t).Connection, ((BlobCreatedTrigger)t).Container, ((BlobCreatedTrigger)t).Prefix, ((BlobCreatedTrigger)t).Suffix)),
            t => Assert.False(((HttpTrigger)t).Enabled));
        var alert = Assert.Single(p.Alerts);
        Assert.Equal([AlertEvent.Failed, AlertEvent.SlaMissed], alert.On);
        Assert.Equal("https://hooks.example.com/x", alert.Webhook);
        Assert.Equal("run", Assert.Single(p.TemplateReferences).Root);
    }

    [Fact]
    public void Parse_NoRetry_UsesTheDefaultPolicy()
    {
        var p = Definitions.Loading.Parse("name: a\nblocks:\n  - { name: b, uses: csv.read, with: { path: a.csv } }\n").Definition!;
        Assert.Equal(RetryPolicy.Default, p.Retry);
        Assert.Equal(RetryPolicy.Default, p.Blocks[0].Retry);
        Assert.Equal(CatchUpPolicy.Latest, Definitions.Loading.Parse("name: a\nblocks:\n  - { name: b, uses: csv.read, with: { path: a.csv } }\ntriggers:\n  - schedule: { cron: '@daily' }\n").Definition!.Triggers.OfType<ScheduleTrigger>().Single().CatchUp);
    }
}
