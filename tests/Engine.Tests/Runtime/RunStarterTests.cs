using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Tests.Workers;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Runtime;

/// <summary>
/// The one way runs are created: a validated pipeline and resolved parameters in, a created (or, for a repeated
/// idempotency key, an existing) run out, with what was validated pinned and no store read for a new run.
/// </summary>
public sealed class RunStarterTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly SqliteStore _sqlite;
    private readonly CountingRunStore _store;
    private readonly RunCommitter _committer;
    private readonly RunStarter _starter;

    public RunStarterTests()
    {
        _folder.Write("pipelines/p/pipeline.yaml", "name: p\nparameters:\n  day: { type: date, default: 2026-11-24 }\nblocks:\n  - { name: x, uses: \"script:x.csx\" }\n");
        _folder.Write("pipelines/p/x.csx", "return 1;\n");
        _folder.Write("pipelines/q/pipeline.yaml", "name: q\nblocks:\n  - { name: y, uses: csv.read, with: { path: a.csv } }\n");
        _sqlite = SqliteStore.Open(_folder.PathOf("runs.db"), SqliteDurability.Normal, new ManualTime());
        _store = new CountingRunStore(_sqlite);
        _committer = new RunCommitter(_store, _sqlite, new LocalArtifactStore(_folder.PathOf("artifacts")), time: new ManualTime());
        _starter = new RunStarter(new DuraflowRuntime(_committer), new ManualTime());
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _folder.Dispose();
    }

    private ValidatedPipeline Pipeline(string name)
    {
        var validated = PipelineValidator.Validate(_folder.PathOf($"pipelines/{name}/pipeline.yaml"));
        Assert.True(validated.IsValid, string.Join("\n", validated.Diagnostics));
        return validated;
    }

    private static RunRequest Request(ValidatedPipeline pipeline, string? key = null) =>
        new(pipeline, RunParameters.Defaults(pipeline.Definition!).Parameters!, RunTrigger.ByHand(RunTrigger.Http)) { IdempotencyKey = key };

    [Fact]
    public async Task A_new_run_is_created_pending_without_reading_the_store_and_a_repeated_key_returns_it_after_one_lookup()
    {
        var pipeline = Pipeline("p");

        var first = await _starter.StartAsync(Request(pipeline, "order-42"));
        var lookupsForNew = _store.KeyLookups;
        var readsForNew = _store.Reads;
        var again = await _starter.StartAsync(Request(pipeline, "order-42"));

        Assert.True(first.Created);
        Assert.Equal(("p", RunStatus.Pending), (first.Pipeline, first.Status));
        Assert.Equal((0, 0), (lookupsForNew, readsForNew));
        Assert.False(again.Created);
        Assert.Equal(first.RunId, again.RunId);
        Assert.Equal(RunStatus.Pending, again.Status);
        Assert.Equal(1, _store.KeyLookups);
        Assert.Single(await _sqlite.ListRunsAsync(new RunQuery(Limit: 10), CancellationToken.None));
    }

    [Fact]
    public async Task A_key_that_started_a_run_of_another_pipeline_answers_with_that_run_and_its_pipeline()
    {
        var first = await _starter.StartAsync(Request(Pipeline("p"), "shared"));

        var other = await _starter.StartAsync(Request(Pipeline("q"), "shared"));

        Assert.False(other.Created);
        Assert.Equal((first.RunId, "p"), (other.RunId, other.Pipeline));
    }

    [Fact]
    public async Task The_run_pins_the_script_text_that_was_validated_even_when_the_file_changes_before_it_starts()
    {
        var pipeline = Pipeline("p");
        _folder.Write("pipelines/p/x.csx", "return 2; // edited after validation\n");

        var started = await _starter.StartAsync(Request(pipeline));

        var stored = await _sqlite.GetRunAsync(started.RunId, CancellationToken.None);
        var plan = await _sqlite.GetPlanAsync(stored!.State.DefinitionHash, CancellationToken.None);
        Assert.Equal("return 1;\n", plan.Files["x.csx"]);
        Assert.Equal(ParameterType.Date, plan.ParameterTypes["day"]);
        Assert.Equal("script:x.csx", plan.Block("x").Uses.ToString());
    }

    [Fact]
    public async Task Starts_of_one_validated_pipeline_share_its_plan()
    {
        var pipeline = Pipeline("p");

        var a = await _starter.StartAsync(Request(pipeline));
        var b = await _starter.StartAsync(Request(pipeline));

        var hashes = await Task.WhenAll(new[] { a, b }.Select(async r => (await _sqlite.GetRunAsync(r.RunId, CancellationToken.None))!.State.DefinitionHash));
        Assert.NotEqual(a.RunId, b.RunId);
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Fact]
    public async Task Parameters_resolved_for_another_pipeline_and_an_invalid_pipeline_are_refused()
    {
        var p = Pipeline("p");
        var q = Pipeline("q");
        _folder.Write("pipelines/bad/pipeline.yaml", "name: bad\nblocks:\n  - { name: x, uses: \"script:missing.csx\" }\n");
        var bad = PipelineValidator.Validate(_folder.PathOf("pipelines/bad/pipeline.yaml"));

        var mixed = await Assert.ThrowsAsync<ArgumentException>(() => _starter.StartAsync(
            new RunRequest(p, RunParameters.Defaults(q.Definition!).Parameters!, RunTrigger.ByHand(RunTrigger.Cli))));
        var invalid = await Assert.ThrowsAsync<ArgumentException>(() => _starter.StartAsync(
            new RunRequest(bad, RunParameters.Defaults(bad.Definition!).Parameters!, RunTrigger.ByHand(RunTrigger.Cli))));

        Assert.Contains("resolved for pipeline 'q', not 'p'", mixed.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid", invalid.Message, StringComparison.Ordinal);
        Assert.Empty(await _sqlite.ListRunsAsync(new RunQuery(Limit: 10), CancellationToken.None));
    }

    [Fact]
    public async Task Trigger_kind_and_values_reach_the_run()
    {
        var values = new Dictionary<string, JsonElement> { ["blob"] = JsonSerializer.SerializeToElement(new { name = "a.csv" }) };

        var started = await _starter.StartAsync(new RunRequest(Pipeline("p"), RunParameters.Defaults(Pipeline("p").Definition!).Parameters!, new RunTrigger(RunTrigger.Blob, values)));

        var state = (await _sqlite.GetRunAsync(started.RunId, CancellationToken.None))!.State;
        Assert.Equal(RunTrigger.Blob, state.Trigger);
        Assert.Equal("a.csv", state.TriggerValues["blob"].GetProperty("name").GetString());
        Assert.Equal("2026-11-24", state.Parameters["day"].GetString());
    }
}
