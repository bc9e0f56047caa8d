using Npgsql;

namespace Duraflow.Bench;

/// <summary>
/// Asks the peer's PostgreSQL server, once and with a short timeout, whether it answers and whether its commits reach
/// the disk. Runs in the harness on our Npgsql; the peer itself runs in its own process on Hangfire's.
/// </summary>
internal static class PostgresProbe
{
    /// <summary>Null <see cref="PostgresCheck.Unreachable"/> when the server answered.</summary>
    public static async Task<PostgresCheck> CheckAsync(string connection)
    {
        var settings = new NpgsqlConnectionStringBuilder(connection) { Timeout = 5, CommandTimeout = 5 };
        try
        {
            await using var session = new NpgsqlConnection(settings.ConnectionString);
            await session.OpenAsync();
            await using var query = new NpgsqlCommand("select current_setting('fsync'), current_setting('synchronous_commit')", session);
            await using var row = await query.ExecuteReaderAsync();
            await row.ReadAsync();
            var (fsync, synchronousCommit) = (row.GetString(0), row.GetString(1));
            return new PostgresCheck(null, fsync == "on" && synchronousCommit != "off" ? null :
                $"PostgreSQL ran with fsync={fsync}, synchronous_commit={synchronousCommit} (the server or the connection string turned durability off): "
                + "Hangfire's commits there were not flushed to disk, so its rows are not a durable comparison; "
                + "point DURAFLOW_BENCH_POSTGRES at a server with both on for one");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new PostgresCheck(e.Message.Split('\n')[0], null);
        }
    }
}
