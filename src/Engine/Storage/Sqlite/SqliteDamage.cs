using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// Tells a damaged store file from other SQLite failures, and says what to do about it in place of SQLite's
/// "SQLite Error 11", which reads like a bug in duraflow.
/// </summary>
internal static class SqliteDamage
{
    // SQLITE_CORRUPT and SQLITE_NOTADB: the file's pages do not hold a valid database.
    private const int Corrupt = 11;
    private const int NotADatabase = 26;

    /// <summary>True when <paramref name="exception"/> says the database file is damaged or not a database.</summary>
    public static bool IsDamage(SqliteException exception) => exception.SqliteErrorCode is Corrupt or NotADatabase;

    /// <summary>What a user reads: which file, what is wrong with it and the ways out.</summary>
    public static string Describe(string shownPath, SqliteException exception) =>
        $"the run store {shownPath} is damaged or not a SQLite database ({exception.Message.TrimEnd('.')}). Move it aside, with "
        + $"{shownPath}-wal and {shownPath}-shm if they are there, to start a new, empty store, or put back a copy from a backup; "
        + "`sqlite3 FILE .recover` may save what is still readable";
}
