using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// Brings a store file to the current schema by applying the embedded, numbered scripts it has not seen yet, each in
/// its own transaction. A file written by a newer Duraflow is refused rather than misread.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Duraflow.Engine.Storage.Sqlite.Migrations.";

    public static int Latest => Scripts.Value[^1].Version;

    private static readonly Lazy<IReadOnlyList<(int Version, string Sql)>> Scripts = new(Load);

    public static void Apply(SqliteConnection connection, string displayPath)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");

        // One write transaction reads the version and applies what is missing: a second process opening a new file at
        // the same moment waits for the lock, then finds the scripts applied instead of running them again.
        using var transaction = connection.BeginTransaction();
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var current = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"{displayPath} has schema version {current}, but this duraflow knows up to {Latest}; upgrade duraflow to open it");
        }

        foreach (var (version, sql) in Scripts.Value.Where(s => s.Version > current))
        {
            Execute(connection, sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $at)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // Scripts are named NNNN_description.sql; the number is the schema version they produce.
    private static List<(int Version, string Sql)> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var scripts = new List<(int, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = name[ResourcePrefix.Length..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }
}
