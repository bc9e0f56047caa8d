using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Validation;

/// <summary>
/// The cache the HTTP API, schedules and blob events validate through: once per version of the definition files,
/// never for run state or data.
/// </summary>
public sealed class ProjectValidationCacheTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ProjectValidationCacheTests()
    {
        _project.Write("duraflow.yaml", "store: { path: .duraflow/runs.db }\n");
        _project.Write("pipelines/a/pipeline.yaml", "name: a\nblocks:\n  - { name: x, uses: \"sql:x.sql\" }\n");
        _project.Write("pipelines/a/x.sql", "select 1 as one\n");
    }

    public void Dispose() => _project.Dispose();

    private ProjectValidationCache Cache() => new(_project.Root, () => ProjectValidator.Validate(_project.Root, displayRoot: _project.Root));

    [Fact]
    public void An_unchanged_project_is_validated_once_and_every_caller_gets_that_validation()
    {
        var cache = Cache();

        var first = cache.Get();
        var second = cache.Get();
        var third = cache.Get();

        Assert.True(first.IsValid, string.Join("\n", first.Diagnostics));
        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal(1, cache.Validations);
    }

    [Fact]
    public void An_edited_file_a_new_pipeline_and_a_deleted_file_are_each_seen_at_the_next_call()
    {
        var cache = Cache();
        cache.Get();

        _project.Write("pipelines/a/x.sql", "select {{ blocks.nowhere }} as one\n");
        var edited = cache.Get();
        _project.Write("pipelines/b/pipeline.yaml", "name: b\nblocks:\n  - { name: y, uses: \"sql:y.sql\" }\n");
        var added = cache.Get();
        File.Delete(_project.PathOf("pipelines/b/pipeline.yaml"));
        var deleted = cache.Get();

        Assert.Contains(edited.Diagnostics, d => d.IsError && d.Message.Contains("nowhere", StringComparison.Ordinal));
        Assert.Equal(["a", "b"], added.Pipelines.Select(p => p.Definition?.Name));
        Assert.Equal(["a"], deleted.Pipelines.Select(p => p.Definition?.Name));
        Assert.Equal(4, cache.Validations);
    }

    [Fact]
    public void Run_state_data_and_build_output_are_not_definitions()
    {
        var cache = Cache();
        var before = cache.Get();

        _project.Write(".duraflow/runs.db", "state");
        _project.Write("data/landing/orders.csv", "id\n1\n");
        _project.Write("blocks/bin/Blocks.dll", "binary");
        _project.Write("pipelines/a/obj/cache.txt", "build");

        Assert.Same(before, cache.Get());
        Assert.Equal(1, cache.Validations);
    }

    [Fact]
    public void A_store_or_outputs_at_the_project_root_are_not_definitions_but_root_settings_are()
    {
        var cache = Cache();
        var before = cache.Get();

        _project.Write("runs.db", "state");
        _project.Write("runs.db-wal", "log");
        _project.Write("report.csv", "id\n1\n");
        var unchanged = cache.Get();
        _project.Write("io_config.yaml", "default:\n  warehouse: { type: sqlite, path: w.db }\n");
        var edited = cache.Get();

        Assert.Same(before, unchanged);
        Assert.NotSame(before, edited);
        Assert.Equal(2, cache.Validations);
    }

    [Fact]
    public void An_edited_time_zone_in_duraflow_yaml_comes_with_the_next_validation()
    {
        var cache = Cache();
        var before = cache.Get();

        _project.Write("duraflow.yaml", "timezone: Europe/Berlin\nstore: { path: .duraflow/runs.db }\n");

        Assert.Equal("UTC", before.TimeZone);
        Assert.Equal("Europe/Berlin", cache.Get().TimeZone);
    }

    [Fact]
    public async Task Callers_at_once_after_an_edit_share_one_validation()
    {
        var cache = Cache();
        cache.Get();
        _project.Write("pipelines/a/x.sql", "select 2 as two\n");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(cache.Get)));

        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal(2, cache.Validations);
    }
}
