namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// Creates a new store file whole: built and migrated under a temporary name beside it, then moved into place. SQLite
/// creates a database file empty and writes its first page later, so without this a second process (a `runs list`
/// beside a starting `run`) could find the file empty; with it, an empty store file can only be a damaged one.
/// </summary>
internal static class SqliteStoreCreation
{
    /// <summary>Makes the store file at <paramref name="path"/>, unless another process makes it first.</summary>
    public static void Create(string path, string shownPath)
    {
        var building = $"{path}.{Guid.NewGuid():N}.new";
        try
        {
            using (var connection = SqliteStore.Connect(building))
            {
                connection.Open();

                // WAL is kept in the file's header, so the store opens in WAL mode from its first use; closing the last
                // connection folds the write-ahead log back in and removes it, leaving one file to move.
                SqliteStore.Pragma(connection, "PRAGMA journal_mode=WAL");
                SqliteMigrations.Apply(connection, shownPath);
            }

            try
            {
                File.Move(building, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created the store meanwhile; theirs is as good as this one.
            }
        }
        finally
        {
            foreach (var leftover in new[] { building, $"{building}-wal", $"{building}-shm" })
            {
                File.Delete(leftover);
            }
        }
    }
}
