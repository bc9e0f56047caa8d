using System.Globalization;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Schedule marks in the <c>schedule_marks</c> table, fenced by a version number.</summary>
internal sealed partial class SqliteStore : IScheduleMarks
{
    /// <inheritdoc/>
    public Task<ScheduleMark?> GetScheduleMarkAsync(string pipeline, string schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(schedule);
        return LockedAsync(() =>
        {
            using var command = Command(
                "SELECT handled_through, next_tick, updated_at, version FROM schedule_marks WHERE pipeline = $p AND schedule = $s",
                null, ("$p", pipeline), ("$s", schedule));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ScheduleMark(
                    FromMs(reader.GetValue(0))!.Value, FromMs(reader.GetValue(1)), FromMs(reader.GetValue(2))!.Value,
                    reader.GetInt64(3).ToString(CultureInfo.InvariantCulture))
                : null;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TrySetScheduleMarkAsync(
        string pipeline, string schedule, DateTimeOffset handledThrough, DateTimeOffset? nextTick, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(schedule);

        // A version that is not ours cannot match any row, which is what a stale version means too.
        if (expectedVersion is not null && !long.TryParse(expectedVersion, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Task.FromResult(false);
        }

        return WriteAsync(transaction =>
        {
            // The version check is in the statement itself, so another process on the same file cannot slip in between.
            using var command = expectedVersion is null
                ? Command(
                    "INSERT INTO schedule_marks (pipeline, schedule, handled_through, next_tick, updated_at, version) VALUES ($p, $s, $h, $n, $at, 1) "
                    + "ON CONFLICT (pipeline, schedule) DO NOTHING",
                    transaction, ("$p", pipeline), ("$s", schedule), ("$h", Ms(handledThrough)), ("$n", nextTick is { } n ? Ms(n) : null), ("$at", Now))
                : Command(
                    "UPDATE schedule_marks SET handled_through = $h, next_tick = $n, updated_at = $at, version = version + 1 "
                    + "WHERE pipeline = $p AND schedule = $s AND version = $v",
                    transaction, ("$p", pipeline), ("$s", schedule), ("$h", Ms(handledThrough)), ("$n", nextTick is { } n2 ? Ms(n2) : null), ("$at", Now),
                    ("$v", long.Parse(expectedVersion, CultureInfo.InvariantCulture)));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }
}
