namespace Duraflow.Blocks.Sql;

/// <summary>
/// Creates the folder of a SQLite or DuckDB database file before the connection opens. Both engines create a missing
/// database file themselves, which is what a connection with <c>path: data/warehouse.db</c> relies on in a fresh
/// checkout, but not its folder, and then fail with "unable to open database file". The path is the project's own
/// io_config.yaml setting (block templates cannot reach it), so the folder is made wherever it points, as the file
/// would be.
/// </summary>
internal static class DatabaseFolder
{
    /// <summary>Creates the folder holding <paramref name="file"/> when it does not exist.</summary>
    /// <exception cref="NonRetryableBlockException">The folder cannot be created: the message names it and the fix.</exception>
    public static void Ensure(Connection connection, string file)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is null || Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file in the folder's place or a folder we may not write to stays so on the next attempt.
            throw new NonRetryableBlockException(
                $"connection '{connection.Name}': the folder {folder} of its database file {file} does not exist and cannot be created ({e.Message}); "
                + "create it, or point the connection's path in io_config.yaml somewhere writable", e);
        }
    }
}
