using System.Globalization;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Named limits' ledgers in the <c>limit_ledgers</c> table, fenced by a version number.</summary>
internal sealed partial class SqliteStore : ILimitLedgers
{
    /// <inheritdoc/>
    public Task<(string Ledger, string Version)?> GetLimitLedgerAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return LockedAsync<(string, string)?>(() =>
        {
            using var command = Command("SELECT ledger, version FROM limit_ledgers WHERE name = $n", null, ("$n", name));
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)) : null;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TrySetLimitLedgerAsync(string name, string ledger, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(ledger);
        if (expectedVersion is not null && !long.TryParse(expectedVersion, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Task.FromResult(false);
        }

        return WriteAsync(transaction =>
        {
            // The version check is in the statement, so another process on the same file cannot slip in between.
            using var command = expectedVersion is null
                ? Command("INSERT INTO limit_ledgers (name, ledger, version) VALUES ($n, $l, 1) ON CONFLICT (name) DO NOTHING", transaction, ("$n", name), ("$l", ledger))
                : Command("UPDATE limit_ledgers SET ledger = $l, version = version + 1 WHERE name = $n AND version = $v", transaction,
                    ("$n", name), ("$l", ledger), ("$v", long.Parse(expectedVersion, CultureInfo.InvariantCulture)));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }
}
