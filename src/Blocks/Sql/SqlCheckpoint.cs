using System.Text.Json;
using DuckDB.NET.Data;
using Duraflow.Blocks.Settings;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// A SQL block's <c>with.checkpoint: { name, value }</c>: after the query, <c>value</c> (a SQL expression such as
/// <c>max(id)</c>) is computed by the embedded engine over the rows the query returned, and the result is set as
/// checkpoint <c>name</c>; the run commits it when it succeeds. The next run reads it as <c>{{ checkpoint.NAME }}</c>.
/// </summary>
/// <param name="Name">The checkpoint's name.</param>
/// <param name="Value">The SQL expression over the result rows.</param>
internal sealed record SqlCheckpoint(string Name, string Value)
{
    /// <summary>The setting's name under <c>with:</c>.</summary>
    public const string Setting = "checkpoint";

    /// <summary>The keys the setting takes.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["name", "value"];

    /// <summary>The block's checkpoint setting, or null when it has none.</summary>
    /// <exception cref="NonRetryableBlockException">The setting is not a map of a name and a value.</exception>
    public static SqlCheckpoint? From(BlockSettings settings, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var map = settings.Map(Setting);
        if (map.Count == 0)
        {
            return null;
        }

        return Problem(map) is { } problem
            ? throw new NonRetryableBlockException($"{displayPath}: with.checkpoint {problem}")
            : new SqlCheckpoint(map["name"], map["value"]);
    }

    /// <summary>Why <paramref name="map"/> is not a checkpoint setting, or null when it is one.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Keys.FirstOrDefault(k => !Keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return $"has no key '{unknown}'; it takes name and value, as in {{ name: last_id, value: \"max(id)\" }}";
        }

        if (!map.TryGetValue("name", out var name) || CheckpointLimits.NameProblem(name) is not null)
        {
            return $"needs a name: {CheckpointLimits.NameProblem(name) ?? "missing"}";
        }

        if (!map.TryGetValue("value", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return "needs a value: the SQL expression over the query's rows that gives the new checkpoint, such as \"max(id)\"";
        }

        // The value is SQL text run by the embedded engine; a template would splice run input into it.
        return value.Contains("{{", StringComparison.Ordinal)
            ? "value is a SQL expression over the query's rows and cannot hold templates; bind run values in the query itself"
            : null;
    }

    /// <summary>
    /// Computes the checkpoint over <paramref name="output"/> and sets it on <paramref name="context"/>. A query that
    /// returned no rows (or a null value) leaves the checkpoint as it was: there was nothing new.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The query returned no rows to read, or the expression is wrong.</exception>
    public void Apply(BlockValue output, BlockContext context, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var table = output.Table ?? throw new NonRetryableBlockException(
            $"{displayPath}: with.checkpoint computes '{Value}' over the rows the query returns, but it returned none "
            + "(a statement without a result, or materialize: table|view); end the SQL with a select, or add returning");
        JsonElement? value;
        try
        {
            using var connection = DuckDb.Open(context.WorkDirectory);
            value = RowCount(connection, table) == 0 ? null : Compute(connection, table, displayPath);
        }
        catch (DuckDBException e)
        {
            throw new NonRetryableBlockException($"{displayPath}: with.checkpoint.value '{Value}' over the query's rows: {e.Message}", e);
        }

        if (value is { } set)
        {
            context.SetCheckpoint(Name, set);
            Log(context, $"checkpoint {Name} is set to {set.GetRawText()}, committed when the run succeeds");
        }
        else
        {
            Log(context, $"checkpoint {Name} stays as it was: the query returned no rows");
        }
    }

    // DuckDB writes a UTC offset as "+00"; SQL Server reads only "+00:00", which PostgreSQL and DuckDB read too.
    private static string TimeText(string duckDbType, string text) =>
        duckDbType == "TIMESTAMP WITH TIME ZONE" && text.Length > 3 && text[^3] is '+' or '-' && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1])
            ? text + ":00"
            : text;

    // An empty result may carry no columns at all (no row told its shape), and it holds nothing new anyway.
    private static long RowCount(DuckDBConnection connection, Table table)
    {
        using var command = DuckDb.Command(connection, $"select count(*) from {table.SqlSource}", []);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Dates and times are kept as DuckDB writes them (in UTC, with the offset and every fractional digit), so that cast
    // back to the column's type they compare exactly; other values keep their JSON type.
    private JsonElement? Compute(DuckDBConnection connection, Table table, string displayPath)
    {
        using var command = DuckDb.Command(connection, $"select v, typeof(v), cast(v as varchar) from (select ({Value}) as v from {table.SqlSource})", []);
        using var reader = command.ExecuteReader();
        return !reader.Read() || reader.IsDBNull(0) ? null
            : IsTemporal(reader.GetString(1)) ? BlockJson.ToElement(TimeText(reader.GetString(1), reader.GetString(2)))
            : BlockJson.ToElement(DataReaderValues.Get(reader, 0, 1, _ => $"{displayPath}: with.checkpoint.value"));
    }

    private static bool IsTemporal(string duckDbType) =>
        duckDbType.StartsWith("TIMESTAMP", StringComparison.Ordinal) || duckDbType.StartsWith("DATE", StringComparison.Ordinal)
        || duckDbType.StartsWith("TIME", StringComparison.Ordinal);

    private static void Log(BlockContext context, string message)
    {
        if (context.Logger.IsEnabled(LogLevel.Information))
        {
            context.Logger.LogInformation("{Message}", message);
        }
    }
}
