using Duraflow.Blocks.Settings;

namespace Duraflow.Blocks.Sql;

/// <summary>The settings a <c>sql:</c> block takes under <c>with:</c>, checked by <c>duraflow validate</c>.</summary>
internal static class SqlBlockSettings
{
    /// <summary>The settings.</summary>
    public static IReadOnlyList<ConfigField> Fields { get; } =
    [
        new("connection", ConfigKind.Text, "io_config connection to run in (postgres, sqlserver, sqlite); absent: the embedded engine over upstream outputs"),
        new("transaction", ConfigKind.Boolean, "Run the file in one transaction, rolled back on error (database connections)", Default: "true"),
        new("materialize", ConfigKind.Choice, "Keep the result in the database: as a table (replaced), a view, or not at all",
            Default: "none", Choices: ["none", "table", "view"]),
        new("target", ConfigKind.Text, "The table or view name for materialize: table|view, e.g. analytics.daily_totals"),
        new(SqlCheckpoint.Setting, ConfigKind.Map,
            "Set a checkpoint from the rows the query returns, committed when the run succeeds: { name: last_id, value: \"max(id)\" }; read it as {{ checkpoint.last_id }}"),
    ];
}
