using System.Text.Json;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Sql;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// A SQLite or DuckDB connection whose database file is in a folder that does not exist yet: the folder is created,
/// as the engine creates the file; a folder that cannot be created is named with the fix.
/// </summary>
public sealed class DatabaseFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task The_folder_of_a_new_database_file_is_created(string type)
    {
        var context = Context(type, "path", "data/local/warehouse.db");

        var result = await DatabaseSqlBlock.RunAsync("sql/one.sql", "select 1 as one", await SettingsAsync(context), context);

        Assert.Equal("""[{"one":1}]""", result.AsJson().GetRawText());
        Assert.True(File.Exists(_folder.PathOf("data/local/warehouse.db")));
    }

    [Fact]
    public async Task A_connection_string_gets_its_folder_too()
    {
        var context = Context("sqlite", "connection_string", $"Data Source={_folder.PathOf("nested/db/warehouse.db")}");

        await DatabaseSqlBlock.RunAsync("sql/one.sql", "select 1 as one", await SettingsAsync(context), context);

        Assert.True(File.Exists(_folder.PathOf("nested/db/warehouse.db")));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_is_named_with_the_fix_and_not_retried()
    {
        _folder.Write("data", "a file where the folder should be");
        var context = Context("sqlite", "path", "data/warehouse.db");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            async () => await DatabaseSqlBlock.RunAsync("sql/one.sql", "select 1 as one", await SettingsAsync(context), context));

        Assert.StartsWith($"connection 'db': the folder {_folder.PathOf("data")} of its database file", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("create it, or point the connection's path in io_config.yaml somewhere writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_database_creates_nothing()
    {
        var context = Context("sqlite", "connection_string", $"Data Source={_folder.PathOf("absent/warehouse.db")};Mode=ReadOnly");

        await Assert.ThrowsAsync<NonRetryableBlockException>(
            async () => await DatabaseSqlBlock.RunAsync("sql/one.sql", "select 1 as one", await SettingsAsync(context), context));

        Assert.False(Directory.Exists(_folder.PathOf("absent")));
    }

    private BlockContext Context(string type, string key, string value) =>
        BlockContexts.Create(_folder.Root, connections: new TestConnections(TestConnections.Of("db", type, key, value)));

    private static Task<BlockSettings> SettingsAsync(BlockContext context) =>
        BlockSettings.CreateAsync(JsonSerializer.SerializeToElement(new { connection = "db" }), "sql", SqlBlockSettings.Fields, context);
}
