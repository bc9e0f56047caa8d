using System.Data.Common;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// What differs between the databases a SQL block can run in: how to connect, how placeholders and names are
/// written, and the statements that replace a table or view and upsert rows.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The io_config connection types with a dialect.</summary>
    public static IReadOnlyList<string> Types { get; } = ["postgres", "sqlserver", "sqlite", "duckdb"];

    /// <summary>The dialect for <paramref name="connection"/>.</summary>
    /// <exception cref="NonRetryableBlockException">The connection is not a SQL database, or has no connection string.</exception>
    public static SqlDialect For(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Type switch
        {
            "postgres" => new PostgresDialect(),
            "sqlserver" => new SqlServerDialect(),
            "sqlite" => new SqliteDialect(),
            "duckdb" => new DuckDbDialect(),
            _ => throw new NonRetryableBlockException(
                $"connection '{connection.Name}' is of type {connection.Type}, which is not a SQL database; use one of {string.Join(", ", Types)}"),
        };
    }

    /// <summary>
    /// Opens a connection from the io_config settings (<c>connection_string</c>, or <c>path</c> for SQLite and
    /// DuckDB), creating the folder of a database file that the engine will create.
    /// </summary>
    public async Task<DbConnection> OpenAsync(Connection connection, string projectRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var text = ConnectionString(connection, projectRoot);
        if (CreatedFile(text) is { } file)
        {
            DatabaseFolder.Ensure(connection, file);
        }

        var db = Create(text);
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return db;
    }

    /// <summary>The placeholder for the parameter at a 0-based position.</summary>
    public virtual string Placeholder(int index) => string.Create(CultureInfo.InvariantCulture, $"@p{index}");

    /// <summary>A quoted identifier; a dotted name (<c>schema.table</c>) is quoted part by part.</summary>
    public virtual string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Join('.', name.Split('.').Select(part => "\"" + part.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }

    /// <summary>The column type for a table column of DuckDB type <paramref name="duckType"/>.</summary>
    public abstract string ColumnType(string duckType);

    /// <summary>Statements that replace table <paramref name="target"/> with the rows of <paramref name="query"/>.</summary>
    public virtual string ReplaceTableAs(string target, string query) =>
        $"drop table if exists {Quote(target)};\ncreate table {Quote(target)} as\n{query}";

    /// <summary>The statement that replaces view <paramref name="target"/> with <paramref name="query"/>.</summary>
    public virtual string ReplaceViewAs(string target, string query) => $"create or replace view {Quote(target)} as\n{query}";

    /// <summary>
    /// The statement inserting one batch of rows, <paramref name="rows"/> rows of <paramref name="columns"/>, as
    /// placeholders in row order; with <paramref name="key"/>, rows whose key exists replace the stored ones.
    /// </summary>
    public virtual string Insert(string target, IReadOnlyList<string> columns, int rows, IReadOnlyList<string>? key)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"insert into {Quote(target)} ({string.Join(", ", columns.Select(Quote))}) values ");
        for (var row = 0; row < rows; row++)
        {
            text.Append(row > 0 ? ", (" : "(");
            text.AppendJoin(", ", columns.Select((_, column) => Placeholder((row * columns.Count) + column)));
            text.Append(')');
        }

        if (key is { Count: > 0 })
        {
            var updates = columns.Where(c => !key.Contains(c, StringComparer.Ordinal)).Select(c => $"{Quote(c)} = excluded.{Quote(c)}").ToList();
            text.Append(CultureInfo.InvariantCulture, $" on conflict ({string.Join(", ", key.Select(Quote))}) do ");
            text.Append(updates.Count == 0 ? "nothing" : "update set " + string.Join(", ", updates));
        }

        return text.ToString();
    }

    /// <summary>The statement that creates table <paramref name="target"/> unless it exists, keyed by <paramref name="key"/> when given.</summary>
    public virtual string CreateTableIfMissing(string target, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> key) =>
        $"create table if not exists {Quote(target)} ({TableBody(columns, key)})";

    /// <summary>The column list of a CREATE TABLE, with a primary key on <paramref name="key"/> when given.</summary>
    protected string TableBody(IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> key)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(key);
        var body = string.Join(", ", columns.Select(c => $"{Quote(c.Name)} {ColumnType(c.Type)}"));
        return key.Count == 0 ? body : $"{body}, primary key ({string.Join(", ", key.Select(Quote))})";
    }

    /// <summary>The most parameters one statement may carry.</summary>
    public virtual int MaxParameters => 30_000;

    /// <summary>Creates the ADO.NET connection, not yet open.</summary>
    protected abstract DbConnection Create(string connectionString);

    /// <summary>The connection string from the io_config settings.</summary>
    protected virtual string ConnectionString(Connection connection, string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Setting("connection_string") is { Length: > 0 } text
            ? text
            : throw new NonRetryableBlockException($"connection '{connection.Name}' has no connection_string; set it in io_config.yaml");
    }

    /// <summary>The database file that opening <paramref name="connectionString"/> creates when it is missing; null for servers.</summary>
    protected virtual string? CreatedFile(string connectionString) => null;

    /// <summary>A DuckDB type's base name, without its size: <c>DECIMAL(7,2)</c> gives <c>DECIMAL</c>.</summary>
    protected static string BaseType(string duckType)
    {
        ArgumentNullException.ThrowIfNull(duckType);
        var paren = duckType.IndexOf('(', StringComparison.Ordinal);
        return (paren < 0 ? duckType : duckType[..paren]).Trim().ToUpperInvariant();
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string ColumnType(string duckType) => BaseType(duckType) switch
        {
            "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "BOOLEAN" or "DATE" or "TIME" or "UUID" => duckType.ToLowerInvariant(),
            "DOUBLE" or "FLOAT" => "double precision",
            "DECIMAL" => "numeric" + duckType[BaseType(duckType).Length..],
            "TIMESTAMP" => "timestamp",
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => "timestamptz",
            _ => "text",
        };

        protected override DbConnection Create(string connectionString) => new NpgsqlConnection(connectionString);
    }

    private sealed class SqliteDialect : SqlDialect
    {
        public override int MaxParameters => 30_000;

        public override string ColumnType(string duckType) => BaseType(duckType) switch
        {
            "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "BOOLEAN" => "INTEGER",
            "DOUBLE" or "FLOAT" => "REAL",
            "DECIMAL" => "NUMERIC",
            _ => "TEXT",
        };

        public override string ReplaceViewAs(string target, string query) =>
            $"drop view if exists {Quote(target)};\ncreate view {Quote(target)} as\n{query}";

        protected override DbConnection Create(string connectionString) => new SqliteConnection(connectionString);

        // Only the default mode creates a file; a URI or an in-memory database has no folder of its own.
        protected override string? CreatedFile(string connectionString) =>
            new SqliteConnectionStringBuilder(connectionString) is { Mode: SqliteOpenMode.ReadWriteCreate, DataSource: { Length: > 0 } file }
            && file != ":memory:" && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                ? file
                : null;

        protected override string ConnectionString(Connection connection, string projectRoot) =>
            connection.Setting("path") is { Length: > 0 } path
                ? new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path, projectRoot) }.ToString()
                : base.ConnectionString(connection, projectRoot);
    }

    /// <summary>A DuckDB database file: a local warehouse that outlives runs (the embedded engine's is per attempt).</summary>
    private sealed class DuckDbDialect : SqlDialect
    {
        public override string Placeholder(int index) => string.Create(CultureInfo.InvariantCulture, $"$p{index}");

        public override string ColumnType(string duckType) => duckType;

        public override string ReplaceTableAs(string target, string query) => $"create or replace table {Quote(target)} as\n{query}";

        protected override DbConnection Create(string connectionString) => new DuckDB.NET.Data.DuckDBConnection(connectionString);

        // Read-only access creates nothing; ":memory:" and MotherDuck's "md:" are not files.
        protected override string? CreatedFile(string connectionString)
        {
            var builder = new DuckDB.NET.Data.DuckDBConnectionStringBuilder { ConnectionString = connectionString };
            var readOnly = builder.TryGetValue("access_mode", out var mode) && string.Equals(mode?.ToString(), "READ_ONLY", StringComparison.OrdinalIgnoreCase);
            return !readOnly && builder.DataSource is { Length: > 0 } file
                && !file.StartsWith(":memory:", StringComparison.Ordinal) && !file.StartsWith("md:", StringComparison.OrdinalIgnoreCase)
                ? file
                : null;
        }

        protected override string ConnectionString(Connection connection, string projectRoot) =>
            connection.Setting("path") is { Length: > 0 } path
                ? $"DataSource={Path.GetFullPath(path, projectRoot)}"
                : base.ConnectionString(connection, projectRoot);
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        public override int MaxParameters => 2_000;

        public override string Quote(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            return string.Join('.', name.Split('.').Select(part => "[" + part.Replace("]", "]]", StringComparison.Ordinal) + "]"));
        }

        public override string ColumnType(string duckType) => BaseType(duckType) switch
        {
            "BIGINT" => "bigint",
            "INTEGER" => "int",
            "SMALLINT" or "TINYINT" => "smallint",
            "BOOLEAN" => "bit",
            "DOUBLE" or "FLOAT" => "float",
            "DECIMAL" => "decimal" + duckType[BaseType(duckType).Length..],
            // Key columns need a bounded type; nvarchar(max) cannot be a primary key.
            "VARCHAR" => "nvarchar(450)",
            "DATE" => "date",
            "TIME" => "time",
            "TIMESTAMP" => "datetime2",
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => "datetimeoffset",
            "UUID" => "uniqueidentifier",
            _ => "nvarchar(max)",
        };

        public override string CreateTableIfMissing(string target, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> key) =>
            $"if object_id(N'{target.Replace("'", "''", StringComparison.Ordinal)}', N'U') is null create table {Quote(target)} ({TableBody(columns, key)})";

        public override string ReplaceTableAs(string target, string query) =>
            $"drop table if exists {Quote(target)};\nselect * into {Quote(target)} from (\n{query}\n) as source";

        public override string ReplaceViewAs(string target, string query) => $"create or alter view {Quote(target)} as\n{query}";

        public override string Insert(string target, IReadOnlyList<string> columns, int rows, IReadOnlyList<string>? key)
        {
            if (key is not { Count: > 0 })
            {
                return base.Insert(target, columns, rows, null);
            }

            // SQL Server has no ON CONFLICT: MERGE the batch in as a VALUES source.
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(row =>
                "(" + string.Join(", ", columns.Select((_, column) => Placeholder((row * columns.Count) + column))) + ")"));
            var names = string.Join(", ", columns.Select(Quote));
            var match = string.Join(" and ", key.Select(k => $"target.{Quote(k)} = source.{Quote(k)}"));
            var updates = columns.Where(c => !key.Contains(c, StringComparer.Ordinal)).Select(c => $"target.{Quote(c)} = source.{Quote(c)}").ToList();
            var update = updates.Count == 0 ? string.Empty : $" when matched then update set {string.Join(", ", updates)}";
            return $"merge into {Quote(target)} as target using (values {values}) as source ({names}) on {match}{update}"
                + $" when not matched then insert ({names}) values ({string.Join(", ", columns.Select(c => $"source.{Quote(c)}"))});";
        }

        protected override DbConnection Create(string connectionString) => new SqlConnection(connectionString);
    }
}
