using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Tests;

/// <summary>Every diagnostic code, each at the exact place the user has to edit.</summary>
public class ValidationCodeTests
{
    [Fact]
    public void DF001_UnknownUpstream_IsReportedAtTheNameWithASuggestion()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - name: load_orders
                uses: csv.read
                with: { path: orders.csv }
              - name: export
                uses: csv.write
                with: { path: out.csv }
                upstream: [load_order]
            """);

        AssertOnly(result, "p/pipeline.yaml:9:16: error DF001: block 'export' references unknown block 'load_order'; did you mean 'load_orders'?");
    }

    [Fact]
    public void DF019_ABlockReadingTwoFanOuts_IsReportedAtTheBlock()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: regions, uses: csv.read, fan_out: true, with: { path: a.csv } }
              - { name: days, uses: csv.read, fan_out: true, with: { path: a.csv } }
              - { name: report, uses: csv.write, upstream: [regions, days], with: { path: a.csv, input: "{{ blocks.days }}" } }
            """);

        AssertOnly(result, "p/pipeline.yaml:5:13: error DF019: block 'report' reads fan-out blocks regions and days; it can run once per item of only one of them, so make one of them a plain block");
    }

    [Fact]
    public void DF019_AFanOutInsideAFanOut_IsReportedAtTheInnerBlock()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: regions, uses: csv.read, fan_out: true, with: { path: a.csv } }
              - { name: stores, uses: csv.read, fan_out: true, upstream: [regions], with: { path: a.csv } }
            """);

        AssertOnly(result, "p/pipeline.yaml:4:13: error DF019: block 'stores' has fan_out: true but already runs once per item of 'regions'; nested fan-out is not supported, so remove one of the two fan_out keys");
    }

    [Fact]
    public void DF022_ScriptCompileError_IsReportedAtItsLineAndColumnInTheScript()
    {
        const string script = "public record Order(long OrderId, decimal Amount);\n\nvar orders = Input<Order[]>(\"load\");\n  return orders.Where(o => o.Amout > 1);\n";
        var line = script.Split('\n')[3];
        var column = line.IndexOf(".Amout", StringComparison.Ordinal) + 2;
        using var fixture = new PipelineFixture();
        fixture.File("blocks/clean_orders.csx", script);

        var result = fixture.Validate(ScriptPipeline, new ScriptCompiler());

        AssertOnly(result, $"p/blocks/clean_orders.csx:4:{column}: error DF022: CS1061: 'Order' does not contain a definition for 'Amout'");
        Assert.Equal(30, column);
    }

    [Fact]
    public void DF022_EveryErrorOfAScriptIsReportedOnceEvenWhenTwoBlocksUseIt()
    {
        const string script = "int count = \"three\";\nreturn missing;\n";
        using var fixture = new PipelineFixture();
        fixture.File("blocks/clean_orders.csx", script);

        var result = fixture.Validate(ScriptPipeline + "  - { name: again, uses: \"script:blocks/clean_orders.csx\" }\n", new ScriptCompiler());

        Assert.Equal(
            [
                "p/blocks/clean_orders.csx:1:13: error DF022: CS0029: Cannot implicitly convert type 'string' to 'int'",
                "p/blocks/clean_orders.csx:2:8: error DF022: CS0103: The name 'missing' does not exist in the current context",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void DF022_ScriptWarningsAreNotReported()
    {
        using var fixture = new PipelineFixture();
        fixture.File("blocks/clean_orders.csx", "#warning check the rounding\nreturn Input<decimal[]>(\"load\").Sum();\n");

        var result = fixture.Validate(ScriptPipeline, new ScriptCompiler());

        Assert.Empty(result.Diagnostics);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void DF022_ScriptsAreNotCompiledWithoutACompiler()
    {
        using var fixture = new PipelineFixture();
        fixture.File("blocks/clean_orders.csx", "return missing;\n");

        Assert.True(fixture.Validate(ScriptPipeline).IsValid);
    }

    [Fact]
    public void DF001_UnknownReferenceInSqlAndScript_IsReportedInThoseFiles()
    {
        var result = PipelineFixture.Check(
            """
            name: p
            blocks:
              - { name: load, uses: csv.read, with: { path: a.csv } }
              - { name: totals, uses: "sql:sql/totals.sql" }
              - { name: clean, uses: "script:blocks/clean.csx" }
            """,
            ("sql/totals.sql", "select *\nfrom {{ blocks.lod }}\n"),
            ("blocks/clean.csx", "var x = 1;\nreturn Input<int[]>(\"missing\");\n"));

        Assert.Equal(
            [
                "p/blocks/clean.csx:2:21: error DF001",
                "p/sql/totals.sql:2:9: error DF001",
            ],
            result.Diagnostics.Select(Prefix));
        Assert.Contains("did you mean 'load'?", result.Diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DF002_Cycle_PrintsThePath()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: a, uses: csv.read, upstream: [c], with: { path: a.csv } }
              - { name: b, uses: csv.read, upstream: [a], with: { path: a.csv } }
              - { name: c, uses: csv.read, upstream: [b], with: { path: a.csv } }
            """);

        AssertOnly(result, "p/pipeline.yaml:3:13: error DF002: dependency cycle: a -> b -> c -> a");
    }

    [Fact]
    public void DF003_DuplicateBlockName_IsReportedAtTheSecond()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
              - { name: a, uses: json.read, with: { path: a.json } }
            """);

        AssertOnly(result, "p/pipeline.yaml:4:13: error DF003: block name 'a' is already used");
    }

    [Theory]
    [InlineData("name: Orders\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:1:7: error DF004: pipeline name 'Orders' is not valid")]
    [InlineData("name: p\nblocks:\n  - { name: 1st, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:3:13: error DF004: block name '1st' is not valid")]
    [InlineData("name: p\nparameters:\n  Day: date\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:3:3: error DF004: parameter name 'Day' is not valid")]
    public void DF004_BadNames_AreReportedAtTheName(string yaml, string expected) => AssertOnly(PipelineFixture.Check(yaml), expected);

    [Theory]
    [InlineData("name: p\nretyr: { attempts: 2 }\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:2:1: error DF005: unknown key 'retyr' in pipeline.yaml; did you mean 'retry'?")]
    [InlineData("name: p\nblocks:\n  - name: a\n    uses: csv.read\n    upsteam: [b]\n    with: { path: a.csv }\n", "p/pipeline.yaml:5:5: error DF005: unknown key 'upsteam' in a block; did you mean 'upstream'?")]
    [InlineData("name: p\nretry: { atempts: 2 }\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:2:10: error DF005: unknown key 'atempts' in pipeline 'retry'; did you mean 'attempts'?")]
    [InlineData("name: p\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\ntriggers:\n  - shedule: { cron: '@daily' }\n", "p/pipeline.yaml:5:5: error DF005: unknown key 'shedule' in a trigger; did you mean 'schedule'?")]
    public void DF005_UnknownKeys_SuggestTheClosestKey(string yaml, string expected) => AssertOnly(PipelineFixture.Check(yaml), expected);

    [Theory]
    [InlineData("name: p\ntimeout: 10 minutes\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:2:10: error DF006: pipeline 'timeout' '10 minutes' is not a duration")]
    [InlineData("name: p\nblocks:\n  - { name: a, uses: csv.read, timeout: 5x, with: { path: a.csv } }\n", "p/pipeline.yaml:3:41: error DF006: 'timeout' of block 'a' '5x' is not a duration")]
    [InlineData("name: p\nretry: { delay: 0s }\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:2:17: error DF006")]
    public void DF006_BadDurations_AreReportedAtTheValue(string yaml, string expected) => AssertOnly(PipelineFixture.Check(yaml), expected);

    [Theory]
    [InlineData("'0 25 * * *'", "p/pipeline.yaml:5:23: error DF007: cron '0 25 * * *'")]
    [InlineData("'* * *'", "p/pipeline.yaml:5:23: error DF007: cron '* * *' has 3 fields")]
    public void DF007_BadCron_IsReportedAtTheExpression(string cron, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\ntriggers:\n  - schedule: {{ cron: {cron} }}\n"), expected);

    [Fact]
    public void DF008_MissingFile_IsReportedAtUses()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - name: a
                uses: sql:sql/nope.sql
            """);

        AssertOnly(result, "p/pipeline.yaml:4:11: error DF008: block 'a' uses 'sql/nope.sql', which does not exist in p");
    }

    [Theory]
    [InlineData("days: { type: int, default: seven }", "p/pipeline.yaml:3:31: error DF009: default of parameter 'days' 'seven' is not a whole number")]
    [InlineData("day: { type: date, default: 2026-13-01 }", "p/pipeline.yaml:3:31: error DF009: default of parameter 'day' '2026-13-01' is not a date")]
    [InlineData("on: { type: bool, default: yes }", "p/pipeline.yaml:3:30: error DF009")]
    [InlineData("r: { type: string, default: asia, allowed: [eu, us] }", "p/pipeline.yaml:3:31: error DF009: default of parameter 'r' is not one of its allowed values (eu, us)")]
    [InlineData("n: { type: int, allowed: [1, two] }", "p/pipeline.yaml:3:32: error DF009: allowed value of parameter 'n' 'two' is not a whole number")]
    [InlineData("n: { type: int, required: true, default: 3 }", "p/pipeline.yaml:3:44: error DF009: parameter 'n' is required and also has a default")]
    [InlineData("pw: { secret: true, default: hunter2 }", "p/pipeline.yaml:3:32: error DF009: parameter 'pw' is secret, so it cannot have a default written in pipeline.yaml")]
    public void DF009_BadParameterDefaults_AreReportedAtTheValue(string parameter, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nparameters:\n  {parameter}\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n"), expected);

    [Theory]
    [InlineData("blocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:1:1: error DF010: a pipeline needs 'name'")]
    [InlineData("name: p\n", "p/pipeline.yaml:1:1: error DF010: a pipeline needs 'blocks'")]
    [InlineData("name: p\nblocks:\n  - { name: a }\n", "p/pipeline.yaml:3:5: error DF010: block 'a' needs 'uses'")]
    [InlineData("name: p\nblocks: []\n", "p/pipeline.yaml:2:9: error DF010: a pipeline needs at least one block")]
    public void DF010_MissingKeys_AreReportedAtTheEnclosingMap(string yaml, string expected) => AssertOnly(PipelineFixture.Check(yaml), expected);

    [Theory]
    [InlineData("name: p\nblocks: { a: 1 }\n", "p/pipeline.yaml:2:9: error DF011: blocks must be a list")]
    [InlineData("name: p\nconcurrency: lots\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:2:14: error DF011: 'concurrency' must be a whole number, not 'lots'")]
    [InlineData("name: p\nblocks:\n  - { name: a, uses: csv.read, fan_out: sometimes, with: { path: a.csv } }\n", "p/pipeline.yaml:3:41: error DF011: 'fan_out' of block 'a' must be true or false")]
    [InlineData("name: p\nblocks:\n  - { name: a, uses: csv.read, with: [1] }\n", "p/pipeline.yaml:3:38: error DF011: 'with' of block 'a' must be a map")]
    public void DF011_WrongShapes_AreReportedAtTheValue(string yaml, string expected) => AssertOnly(PipelineFixture.Check(yaml), expected);

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("W. Europe Standard Time")]
    public void DF012_NonIanaTimeZones_AreRejected(string zone) =>
        AssertOnly(
            PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\ntriggers:\n  - schedule: {{ cron: '@daily', timezone: '{zone}' }}\n"),
            $"p/pipeline.yaml:5:43: error DF012: time zone '{zone}' is not an IANA time zone id");

    [Fact]
    public void DF013_UnknownBuiltIn_SuggestsTheClosest() =>
        AssertOnly(PipelineFixture.Check("name: p\nblocks:\n  - { name: a, uses: csv.raed }\n"), "p/pipeline.yaml:3:22: error DF013: unknown block type 'csv.raed'; did you mean 'csv.read'?");

    [Theory]
    [InlineData("name: p\nblocks:\n\t- { name: a, uses: csv.read, with: { path: a.csv } }\n", "p/pipeline.yaml:3:1")]
    [InlineData("name: p\nblocks:\n  - name: a\n \tuses: csv.read\n", "p/pipeline.yaml:4:2")]
    public void DF014_A_tab_in_the_indentation_is_reported_on_its_line(string yaml, string where) =>
        AssertOnly(PipelineFixture.Check(yaml), $"{where}: error DF014: invalid YAML: a tab indents this line; YAML indents with spaces only");

    [Fact]
    public void DF014_YamlSyntaxError_IsReportedWhereTheParserStopped()
    {
        var result = PipelineFixture.Check("name: p\nblocks:\n  - name: a\n   uses: x: y\n");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DF014", diagnostic.Code);
        Assert.Equal(4, diagnostic.Location.Line);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void DF014_DuplicateKey_IsASyntaxError()
    {
        var diagnostic = Assert.Single(PipelineFixture.Check("name: p\nname: q\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n").Diagnostics);
        Assert.Equal("DF014", diagnostic.Code);
        Assert.Equal(2, diagnostic.Location.Line);
    }

    [Fact]
    public void DF015_UnknownParameter_IsReportedInWithAndSql()
    {
        var result = PipelineFixture.Check(
            "name: p\nparameters:\n  day: date\nblocks:\n  - { name: a, uses: csv.read, with: { path: '{{ params.dya }}' } }\n  - { name: b, uses: 'sql:q.sql' }\n",
            ("q.sql", "select {{ params.limit }} from {{ blocks.a }}"));

        Assert.Equal(["p/pipeline.yaml:5:50: error DF015", "p/q.sql:1:11: error DF015"], result.Diagnostics.Select(Prefix));
        Assert.Contains("did you mean 'day'?", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("when: '{{ blocks.a.ok'", "with: { path: b.csv, input: '{{ blocks.a }}' }", "p/pipeline.yaml:5:12: error DF016: '{{' is never closed")]
    [InlineData("with: { path: '{{ parmas.x }}' }", "upstream: [a]", "p/pipeline.yaml:5:23: error DF016: unknown template root 'parmas' in 'parmas.x'")]
    [InlineData("when: '{{ blocks.a.rows > }}'", "with: { path: b.csv, input: '{{ blocks.a }}' }", "p/pipeline.yaml:5:11: error DF016: 'when' of block 'b': column ")]
    [InlineData("when: '{{ 1 + }}'", "with: { path: b.csv, input: '{{ blocks.a }}' }", "p/pipeline.yaml:5:11: error DF016: 'when' of block 'b': column ")]
    [InlineData("with: { path: '{{ run.id | shout }}.csv', input: '{{ blocks.a }}' }", "upstream: [a]", "p/pipeline.yaml:5:20: error DF016: ")]
    [InlineData("with: { path: 'out/{{ 1 + }}.csv', input: '{{ blocks.a }}' }", "upstream: [a]", "p/pipeline.yaml:5:24: error DF016: '{{ 1 + }}': '1 +' is not a path")]
    public void DF016_BadTemplates_AreReportedInsideTheValue(string key, string otherKey, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n  - name: b\n    {key}\n    uses: csv.write\n    {otherKey}\n"), expected);

    [Theory]
    [InlineData("{ path: a.csv, delimter: ';' }", "p/pipeline.yaml:3:53: error DF005: block 'a': csv.read has no setting 'delimter' (did you mean 'delimiter'?)")]
    [InlineData("{ path: a.csv, header: maybe }", "p/pipeline.yaml:3:61: error DF011: block 'a': with.header must be true or false, not 'maybe'")]
    [InlineData("{ delimiter: ';' }", "p/pipeline.yaml:3:22: error DF010: block 'a': csv.read needs with.path")]
    [InlineData("{ path: a.csv, header: '{{ params.h }}' }", "p/pipeline.yaml:3:65: error DF015")]
    public void Built_in_settings_are_checked_against_the_block_schema(string with, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {with} }}\n"), expected);

    [Theory]
    [InlineData("- { name: b, uses: csv.write, with: { path: b.csv } }", "p/pipeline.yaml:4:22: error DF010: block 'b': csv.write writes another block's output; set with.input to \"{{ blocks.NAME }}\"")]
    [InlineData("- { name: b, uses: csv.write, upstream: [a, c], with: { path: b.csv } }", "p/pipeline.yaml:4:22: error DF010: block 'b': csv.write depends on a, c; set with.input to the one it writes, as in \"{{ blocks.a }}\"")]
    public void A_built_in_writer_must_know_which_input_it_writes(string block, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n  {block}\n  - {{ name: c, uses: csv.read, with: {{ path: c.csv }} }}\n"), expected);

    [Theory]
    [InlineData("timeout: soon", "p/pipeline.yaml:3:65: error DF011: block 'a': with.timeout must be a duration above zero, such as 500ms, 10s, 5m, 1h, 1d or 1h30m, not 'soon'")]
    [InlineData("poll: 0s", "p/pipeline.yaml:3:62: error DF011: block 'a': with.poll must be a duration above zero")]
    public void Built_in_duration_settings_are_checked(string setting, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\nblocks:\n  - {{ name: a, uses: sensor.blob, with: {{ path: a.csv, {setting} }} }}\n"), expected);

    [Fact]
    public void A_built_in_input_must_name_a_whole_upstream_block()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
              - { name: b, uses: csv.write, with: { path: b.csv, input: "{{ blocks.a.rows }}" } }
            """);

        AssertOnly(result, "p/pipeline.yaml:4:61: error DF011: block 'b': with.input must name an upstream block, as in \"{{ blocks.NAME }}\"");
    }

    [Theory]
    [InlineData("concurrency: 0", "p/pipeline.yaml:2:14: error DF017: 'concurrency' must be at least 1, not 0")]
    [InlineData("retry: { attempts: 1000000 }", "p/pipeline.yaml:2:20: error DF017: pipeline 'retry' 'attempts' must be at most 100, not 1000000")]
    [InlineData("retry: { attempts: 2, backoff: wobbly }", "p/pipeline.yaml:2:32: error DF017: pipeline 'retry' 'backoff' 'wobbly' is not valid")]
    [InlineData("retry: { jitter: 2 }", "p/pipeline.yaml:2:18: error DF017: pipeline 'retry' 'jitter' must be between 0 and 1, not 2")]
    [InlineData("retry: { delay: 5m, max_delay: 1m }", "p/pipeline.yaml:2:32: error DF017: pipeline 'retry': 'max_delay' (1m) is shorter than 'delay' (5m)")]
    [InlineData("parameters: { x: { type: integer } }", "p/pipeline.yaml:2:26: error DF017: type of parameter 'x' 'integer' is not valid; use string, int, number")]
    [InlineData("alerts: [ { on: [failled], webhook: 'https://h.example.com' } ]", "p/pipeline.yaml:2:18: error DF017: alert event 'failled' is not valid; did you mean 'failed'?")]
    [InlineData("alerts: [ { on: failed, webhook: 'http://h.example.com' } ]", "p/pipeline.yaml:2:34: error DF017: 'webhook' 'http://h.example.com' must be an https:// URL")]
    [InlineData("triggers: [ { schedule: { cron: '@daily', catch_up: latets } } ]", "p/pipeline.yaml:2:53: error DF017: 'catch_up' 'latets' is not valid; did you mean 'latest'?")]
    public void DF017_OutOfRangeValues_AreReportedAtTheValue(string line, string expected) =>
        AssertOnly(PipelineFixture.Check($"name: p\n{line}\nblocks:\n  - {{ name: a, uses: csv.read, with: {{ path: a.csv }} }}\n"), expected);

    [Fact]
    public void DF017_BlockMaxDelayBelowThePipelineDelay_IsCaughtAfterMerging() =>
        AssertOnly(
            PipelineFixture.Check("name: p\nretry: { delay: 5m }\nblocks:\n  - { name: a, uses: csv.read, retry: { max_delay: 1m }, with: { path: a.csv } }\n"),
            "p/pipeline.yaml:4:52: error DF017: 'retry' of block 'a': 'max_delay' (1m) is shorter than 'delay' (5m)");

    [Fact]
    public void DF010_AlertWithoutEvents_IsNotSilentlyDropped() =>
        AssertOnly(
            PipelineFixture.Check("name: p\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\nalerts:\n  - { on: [], webhook: 'https://h.example.com' }\n"),
            "p/pipeline.yaml:5:11: error DF010: an alert needs at least one event");

    [Fact]
    public void DF015_CacheKeyTemplates_AreChecked() =>
        AssertOnly(
            PipelineFixture.Check("name: p\nblocks:\n  - { name: a, uses: csv.read, cache: { key: '{{ params.day }}' }, with: { path: a.csv } }\n"),
            "p/pipeline.yaml:3:50: error DF015: block 'a' references unknown parameter 'day'");

    [Fact]
    public void QuotedScalarWithEscapes_PointsAtTheValueRatherThanAWrongColumn() =>
        AssertOnly(
            PipelineFixture.Check("name: p\nblocks:\n  - { name: a, uses: csv.read, with: { path: 'it''s {{ params.zz }}' } }\n"),
            "p/pipeline.yaml:3:46: error DF015");

    [Theory]
    [InlineData("blocks:\n  - { name: a, uses: csv.read, with: { rows: *a7 } }\n")]
    [InlineData("parameters:\n  opts: { type: json, default: *a7 }\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n")]
    public void AliasBomb_InWithOrJsonDefault_IsRefusedInsteadOfExhaustingMemory(string tail)
    {
        var yaml = new System.Text.StringBuilder("name: p\nx0: &a0 [v, v, v, v, v, v, v, v, v, v]\n");
        for (var i = 1; i < 8; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        // The anchors sit under unknown keys (DF005 each); the bomb goes off where the tail uses *a7.
        var result = PipelineFixture.Check(yaml.Append(tail).ToString());

        Assert.Single(result.Diagnostics, d => d.Code == "DF017" && d.Message.Contains("too many values", StringComparison.Ordinal));
    }

    [Fact]
    public void ManyProblems_AreAllReportedAtOnceInFileOrder()
    {
        var result = PipelineFixture.Check("""
            name: p
            timeout: forever
            blocks:
              - { name: a, uses: csv.read, upstream: [zz], with: { path: a.csv } }
              - { name: a, uses: json.read, with: { path: a.json } }
              - { name: b, uses: nope, colour: red }
            """);

        Assert.Equal(
            [
                "p/pipeline.yaml:2:10: error DF006",
                "p/pipeline.yaml:4:43: error DF001",
                "p/pipeline.yaml:5:13: error DF003",
                "p/pipeline.yaml:6:22: error DF013",
                "p/pipeline.yaml:6:28: error DF005",
            ],
            result.Diagnostics.Select(Prefix));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void ReferenceToABrokenBlock_AddsNoSecondError()
    {
        var result = PipelineFixture.Check("name: p\nblocks:\n  - { name: a, uses: bad.block }\n  - { name: b, uses: csv.write, upstream: [a], with: { path: a.csv } }\n");
        Assert.Equal(["p/pipeline.yaml:3:22: error DF013"], result.Diagnostics.Select(Prefix));
    }

    private const string ScriptPipeline = """
        name: p
        blocks:
          - { name: load, uses: csv.read, with: { path: a.csv } }
          - { name: clean_orders, uses: "script:blocks/clean_orders.csx" }

        """;

    private static string Prefix(Diagnostic d) => $"{d.Location}: error {d.Code}";

    private static void AssertOnly(ValidatedPipeline result, string expectedStart)
    {
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.StartsWith(expectedStart, diagnostic.ToString(), StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }
}
