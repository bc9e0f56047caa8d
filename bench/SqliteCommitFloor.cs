using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Duraflow.Bench;

/// <summary>
/// The least a durable step can cost on SQLite: one small transaction at a time, inserting one row and updating
/// another (as one engine step records an event and moves the run's state), on a WAL database with the same
/// synchronous setting as the store under test. FULL syncs the WAL on every commit; NORMAL only at checkpoints.
/// </summary>
internal static class SqliteCommitFloor
{
    public static ScenarioOutcome Measure(BenchStore store, int commits)
    {
        var folder = Directory.CreateTempSubdirectory("duraflow-bench-floor-");
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "floor.db")};Pooling=False");
            connection.Open();
            Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(store == BenchStore.SqliteFull ? "FULL" : "NORMAL")};");
            Execute(connection, "CREATE TABLE runs(id INTEGER PRIMARY KEY, version INTEGER, state TEXT); CREATE TABLE events(run INTEGER, seq INTEGER, body TEXT); INSERT INTO runs VALUES(1, 0, '');");
            using var insert = Command(connection, "INSERT INTO events VALUES(1, $seq, '{\"kind\":\"BlockSucceeded\"}')");
            using var update = Command(connection, "UPDATE runs SET version = $seq, state = 'running' WHERE id = 1");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                using var transaction = connection.BeginTransaction();
                foreach (var command in new[] { insert, update })
                {
                    command.Transaction = transaction;
                    command.Parameters["$seq"].Value = i;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return new ScenarioOutcome
            {
                Scenario = "floor: one SQLite commit",
                Store = store.Name(),
                Size = OutcomeText.Invariant($"{commits:N0} commits"),
                Value = commits / clock.Elapsed.TotalSeconds,
                Unit = "commits/s",
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
                MsPerBlock = clock.Elapsed.TotalMilliseconds / commits,
            };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$seq", SqliteType.Integer);
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
