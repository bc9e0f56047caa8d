using Duraflow.Engine.Projects;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Projects;

/// <summary>duraflow.yaml's <c>store</c> section: which store, and for azure the account setting and the prefix.</summary>
public sealed class StoreSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Azure_store_keys_are_read()
    {
        var project = Open("store:\n  type: azure\n  connection: ORDERS_STORAGE\n  prefix: orders2\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal((StoreKind.Azure, "ORDERS_STORAGE", "orders2"), (project.Settings.Store, project.Settings.StoreConnection, project.Settings.StorePrefix));
        Assert.Equal(_folder.PathOf(".duraflow"), project.LocalDirectory);
        Assert.Equal(_folder.PathOf(Path.Combine(".duraflow", "cache", "scripts")), project.ScriptCacheDirectory);
    }

    [Fact]
    public void Without_a_store_section_it_is_sqlite_with_the_functions_storage_setting_for_azure()
    {
        var settings = Open("name: p\n").Settings;

        Assert.Equal((StoreKind.Sqlite, "AzureWebJobsStorage", "duraflow"), (settings.Store, settings.StoreConnection, settings.StorePrefix));
    }

    [Fact]
    public void A_prefix_that_cannot_name_tables_queues_and_containers_is_a_located_error()
    {
        var project = Open("store:\n  type: azure\n  prefix: Orders_2026\n");

        Assert.Equal(
            ["duraflow.yaml:3:11: error DF017: store 'prefix' 'Orders_2026' must be 3 to 40 lowercase letters and digits starting with a letter, because it names Azure tables, queues and a blob container"],
            project.SettingsDiagnostics.Select(d => d.ToString()));
        Assert.Equal("duraflow", project.Settings.StorePrefix);
    }

    [Theory]
    [InlineData("\"UseDevelopmentStorage=true\"", "looks like a connection string; it must be")]
    [InlineData("my storage", "must be")]
    public void A_connection_that_is_not_a_setting_name_is_a_located_error(string value, string problem)
    {
        var project = Open($"store:\n  type: azure\n  connection: {value}\n");

        var diagnostic = Assert.Single(project.SettingsDiagnostics);
        Assert.Equal(
            $"duraflow.yaml:3:15: error DF017: store 'connection' {problem} the name of the environment variable that holds the connection string "
            + "(letters, digits and '_'), such as AzureWebJobsStorage, so that no key is written in duraflow.yaml",
            diagnostic.ToString());
    }

    [Fact]
    public void Sqlite_keys_next_to_type_azure_are_warnings_that_they_have_no_effect()
    {
        var project = Open("store:\n  type: azure\n  path: runs.db\n  durability: normal\n");

        Assert.Equal(
            [
                "duraflow.yaml:3:9: warning DF027: store 'path' is used by the sqlite store only; with type 'azure' it has no effect (it applies with --store sqlite)",
                "duraflow.yaml:4:15: warning DF027: store 'durability' is used by the sqlite store only; with type 'azure' it has no effect (it applies with --store sqlite)",
            ],
            project.SettingsDiagnostics.Select(d => d.ToString()));
        Assert.Equal(_folder.PathOf(".duraflow"), project.LocalDirectory);
    }

    [Fact]
    public void Azure_keys_next_to_type_sqlite_are_kept_for_store_azure_without_a_warning()
    {
        var project = Open("store:\n  type: sqlite\n  path: state/runs.db\n  prefix: ci42\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal(_folder.PathOf("state"), project.LocalDirectory);
        var azure = project.WithStore(StoreKind.Azure);
        Assert.Equal((StoreKind.Azure, "ci42", "state/runs.db"), (azure.Settings.Store, azure.Settings.StorePrefix, azure.Settings.StorePath));
        Assert.Equal(_folder.PathOf(".duraflow"), azure.LocalDirectory);
        Assert.Same(project, project.WithStore(StoreKind.Sqlite));
    }

    [Fact]
    public void WithStorePrefix_and_WithLocalDirectory_override_only_their_setting()
    {
        var project = Open("store:\n  type: azure\n  prefix: ci42\n");

        var overridden = project.WithStorePrefix("prod7").WithLocalDirectory("scratch/here");

        Assert.Equal((StoreKind.Azure, "prod7"), (overridden.Settings.Store, overridden.Settings.StorePrefix));
        Assert.Equal(_folder.PathOf("scratch/here"), overridden.LocalDirectory);
        Assert.Equal(Path.Combine(_folder.PathOf("scratch/here"), "cache", "scripts"), overridden.ScriptCacheDirectory);
        Assert.Equal(_folder.PathOf("scratch/here"), overridden.WithStore(StoreKind.Sqlite).LocalDirectory);
        Assert.Equal("/tmp/duraflow", project.WithLocalDirectory("/tmp/duraflow").LocalDirectory);
        Assert.Same(project, project.WithStorePrefix("ci42"));
    }

    private DuraflowProject Open(string yaml)
    {
        _folder.Write("duraflow.yaml", yaml);
        return DuraflowProject.Open(_folder.Root, _folder.Root);
    }
}
