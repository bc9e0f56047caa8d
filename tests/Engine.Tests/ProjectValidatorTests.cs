using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests;

public class ProjectValidatorTests
{
    [Fact]
    public void Examples_AreValid()
    {
        var validation = ProjectValidator.Validate(RepositoryPaths.Examples);

        Assert.True(validation.IsValid, string.Join("\n", validation.Diagnostics));
        Assert.Equal(["new_orders", "orders", "refresh_customers", "region_reports"], validation.Pipelines.Select(p => p.Definition!.Name));
        Assert.Equal(["load_orders", "clean_orders", "daily_totals", "export_totals"], validation.Pipelines[1].Graph!.TopologicalOrder.Select(b => b.Name));
    }

    [Fact]
    public void DuplicatePipelineNames_AreReportedAtTheSecond()
    {
        using var folder = new TempFolder();
        folder.Write("pipelines/same/pipeline.yaml", "name: same\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");
        folder.Write("pipelines/second/pipeline.yaml", "name: same\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");

        var diagnostics = ProjectValidator.Validate(folder.Root).Diagnostics;

        Assert.Equal(["DF003", "DF004"], diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, d => Assert.EndsWith(Path.Combine("pipelines", "second", "pipeline.yaml"), d.Location.File, StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal((1, 7), (d.Location.Line, d.Location.Column)));
    }

    [Fact]
    public async Task A_named_pipe_in_place_of_a_definition_file_is_reported_without_waiting_for_a_writer()
    {
        using var folder = new TempFolder();
        folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"sql:q.sql\" }\n");
        Directory.CreateDirectory(folder.PathOf("pipelines/fifo"));
        MakeFifo(folder.PathOf("pipelines/fifo/pipeline.yaml"));
        MakeFifo(folder.PathOf("pipelines/p/q.sql"));
        MakeFifo(folder.PathOf("io_config.yaml"));

        // Run off the test thread with a limit: before the fix, opening a pipe blocked until something wrote to it.
        var validation = await Task.Run(() => ProjectValidator.Validate(folder.Root, displayRoot: folder.Root)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains(validation.Diagnostics, d => d.Location.File == "pipelines/fifo/pipeline.yaml" && d.IsError);
        Assert.False(validation.IsValid);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public void A_pipeline_named_otherwise_than_its_folder_is_DF004_and_cannot_run()
    {
        using var folder = new TempFolder();
        folder.Write("pipelines/daily/pipeline.yaml", "name: nightly\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");

        var validation = ProjectValidator.Validate(folder.Root, displayRoot: folder.Root);

        Assert.Equal(
            "pipelines/daily/pipeline.yaml:1:7: error DF004: pipeline name 'nightly' differs from its folder pipelines/daily; commands and the API find "
            + "a pipeline by its folder, so write name: daily or rename the folder to pipelines/nightly",
            Assert.Single(validation.Diagnostics).ToString());
        Assert.False(Assert.Single(validation.Pipelines).IsValid);
    }

    [Fact]
    public void ProjectSettings_AreReadAndChecked()
    {
        using var folder = new TempFolder();
        folder.Write("pipelines/a/pipeline.yaml", "name: a\nblocks:\n  - { name: x, uses: csv.read, with: { path: a.csv } }\n");
        folder.Write("duraflow.yaml", "timezone: Europe/Paris\nstore: { type: sqlite, path: run.db }\nworkers: { parallelism: 3 }\n");

        var project = DuraflowProject.Open(folder.Root);
        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal(("Europe/Paris", StoreKind.Sqlite, "run.db", 3), (project.Settings.TimeZone, project.Settings.Store, project.Settings.StorePath, project.Settings.Parallelism));

        folder.Write("duraflow.yaml", "timezone: Paris\nstore: { type: mongo }\nworker: {}\n");
        Assert.Equal(["DF012", "DF017", "DF005"], ProjectValidator.Validate(folder.Root).Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Scripts_AreCompiledIntoTheCacheBesideTheStore_AndNotAgainTheSecondTime()
    {
        using var folder = new TempFolder();
        folder.Write("duraflow.yaml", "store: { path: state/runs.db }\n");
        folder.Write("pipelines/a/pipeline.yaml", "name: a\nblocks:\n  - { name: good, uses: \"script:blocks/good.csx\" }\n  - { name: bad, uses: \"script:blocks/bad.csx\" }\n");
        folder.Write("pipelines/a/blocks/good.csx", "return 1;\n");
        folder.Write("pipelines/a/blocks/bad.csx", "return Input<int>(\"good\") +\n    nothing;\n");
        var cache = DuraflowProject.Open(folder.Root).ScriptCacheDirectory;

        var first = ProjectValidator.Validate(folder.Root);
        var compiled = Assert.Single(Directory.GetFiles(cache));
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(compiled, written);
        var second = ProjectValidator.Validate(folder.Root);

        Assert.Equal(folder.PathOf(Path.Combine("state", "cache", "scripts")), cache);
        var error = Assert.Single(first.Diagnostics);
        Assert.Equal(("DF022", 2, 5), (error.Code, error.Location.Line, error.Location.Column));
        Assert.EndsWith(Path.Combine("pipelines", "a", "blocks", "bad.csx"), error.Location.File, StringComparison.Ordinal);
        Assert.Equal(first.Diagnostics, second.Diagnostics);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(cache))));
    }

    [Fact]
    public void Pipeline_OutsideAProject_IsCompiledWithoutACacheFolder()
    {
        using var folder = new TempFolder();
        folder.Write("pipeline.yaml", "name: a\nblocks:\n  - { name: bad, uses: \"script:bad.csx\" }\n");
        folder.Write("bad.csx", "return nothing;\n");

        var validation = ProjectValidator.Validate(folder.PathOf("pipeline.yaml"));

        Assert.Equal("DF022", Assert.Single(validation.Diagnostics).Code);
        Assert.Equal(["bad.csx", "pipeline.yaml"], Directory.GetFileSystemEntries(folder.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FolderWithoutPipelines_IsDF018()
    {
        using var folder = new TempFolder();
        folder.Write("notes.txt", "hello");
        var validation = ProjectValidator.Validate(folder.Root);

        Assert.False(validation.IsValid);
        Assert.Equal("DF018", Assert.Single(validation.Diagnostics).Code);
    }

    [Fact]
    public void FindRoot_WalksUpToTheProjectFolder()
    {
        using var folder = new TempFolder();
        folder.Write("duraflow.yaml", "");
        folder.Write("pipelines/a/sql/q.sql", "select 1");

        Assert.Equal(folder.Root, DuraflowProject.FindRoot(folder.PathOf("pipelines/a/sql")));
    }
}
