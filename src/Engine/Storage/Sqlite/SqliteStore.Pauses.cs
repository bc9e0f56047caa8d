namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Paused schedules in the <c>schedule_pauses</c> table, one row per paused pipeline.</summary>
internal sealed partial class SqliteStore : ISchedulePauses
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<SchedulePause>> ListSchedulePausesAsync(CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<SchedulePause>>(() =>
    {
        using var command = Command("SELECT pipeline, since, paused_by, reason FROM schedule_pauses ORDER BY pipeline");
        using var reader = command.ExecuteReader();
        var pauses = new List<SchedulePause>();
        while (reader.Read())
        {
            pauses.Add(ReadPause(reader));
        }

        return pauses;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<(SchedulePause Pause, bool Added)> PauseSchedulesAsync(SchedulePause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        return WriteAsync(transaction =>
        {
            // Inserted only when absent, then read back in the same transaction: a second pause sees the first.
            bool added;
            using (var insert = Command(
                "INSERT INTO schedule_pauses (pipeline, since, paused_by, reason) VALUES ($p, $at, $by, $why) ON CONFLICT (pipeline) DO NOTHING",
                transaction, ("$p", pause.Pipeline), ("$at", Now), ("$by", pause.By), ("$why", pause.Reason)))
            {
                added = insert.ExecuteNonQuery() == 1;
            }

            using var read = Command("SELECT pipeline, since, paused_by, reason FROM schedule_pauses WHERE pipeline = $p", transaction, ("$p", pause.Pipeline));
            using var reader = read.ExecuteReader();
            reader.Read();
            return (ReadPause(reader), added);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<SchedulePause?> ResumeSchedulesAsync(string pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return WriteAsync(transaction =>
        {
            using var delete = Command(
                "DELETE FROM schedule_pauses WHERE pipeline = $p RETURNING pipeline, since, paused_by, reason", transaction, ("$p", pipeline));
            using var reader = delete.ExecuteReader();
            return reader.Read() ? ReadPause(reader) : null;
        }, cancellationToken);
    }

    private static SchedulePause ReadPause(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetString(0), FromMs(reader.GetValue(1))!.Value, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
}
