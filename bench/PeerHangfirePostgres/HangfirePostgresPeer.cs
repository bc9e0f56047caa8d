using Duraflow.Bench;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace Duraflow.PeerHangfirePostgres;

/// <summary>
/// The Hangfire peer on Hangfire.PostgreSql: the shapes of <see cref="HangfireShapes"/> on a schema of their own,
/// created for the scenario and dropped after it, so no scenario finds another's jobs.
/// </summary>
internal static class HangfirePostgresPeer
{
    public static async Task<ScenarioOutcome> RunAsync(string scenario, int size, TimeSpan budget)
    {
        var schema = "hangfire_bench_" + Guid.NewGuid().ToString("N");
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = schema,
            PrepareSchemaIfNecessary = true,

            // An unreachable server fails the scenario at once instead of leaving the server without storage.
            StartupConnectionMaxRetries = 0,
            AllowDegradedModeWithoutStorage = false,

            // One process creates and runs every job, so Hangfire.PostgreSql's in-process signal wakes a worker for each
            // job enqueued, and the poll is only the fallback for a missed one: 100 ms rather than the default 15 s.
            // Long polling (LISTEN/NOTIFY) is left off: it serves workers in other processes, and here opened a
            // listening connection per dequeue and ran the chain at a third of the rate.
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(BenchPostgres.Connection, options), options);
        try
        {
            return await HangfireShapes.RunAsync(storage, HangfireShapes.PostgresStore, scenario, size, budget);
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    private static async Task DropAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(BenchPostgres.Connection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
