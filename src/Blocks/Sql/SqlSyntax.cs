using System.Text.Json;
using Duraflow.Blocks.Templates;
using DuckDB.NET.Data;

namespace Duraflow.Blocks.Sql;

/// <summary>
/// Whether a SQL block's query on the embedded engine parses, without running it or having its inputs: the templates
/// are filled as a run fills them (a relation per block, a placeholder per value), and DuckDB's parser reads the text
/// wrapped as a run wraps it, one query whose rows are the output. Binding (whether a column exists) needs the inputs
/// and happens when the block runs.
/// </summary>
internal static class SqlSyntax
{
    /// <summary>DuckDB's parse error of <paramref name="sql"/> as a block's query, or null when it parses.</summary>
    public static string? Problem(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var placeholders = 0;
        string text;
        try
        {
            text = TemplateRenderer.Render(sql, expression => expression.IsWholeBlock ? DuckDb.Identifier(expression.Name) : $"${++placeholders}");
        }
        catch (NonRetryableBlockException e)
        {
            return e.Message;
        }

        // As the run reads it: one trailing ';' dropped, the rest a subquery, so two statements or a statement that
        // returns no rows fail here as they would there.
        text = $"select * from (\n{SqlTemplate.StripTrailingSemicolon(text)}\n)";
        using var connection = DuckDb.Open();
        // The function takes a constant only; the query is quoted as a literal, so it is read, never run.
        using var command = DuckDb.Command(connection, $"select json_serialize_sql({DuckDb.Literal(text)})", []);
        string? json;
        try
        {
            json = command.ExecuteScalar() as string;
        }
        catch (DuckDBException e)
        {
            return e.Message;
        }

        using var parsed = JsonDocument.Parse(json ?? "{}");
        if (!parsed.RootElement.TryGetProperty("error", out var error) || !error.GetBoolean())
        {
            return null;
        }

        var message = parsed.RootElement.TryGetProperty("error_message", out var m) ? m.GetString() ?? "" : "the query does not parse";

        // What the serializer cannot represent (a PIVOT statement, which DuckDB rewrites before it runs) parsed, or the
        // parser would have said so first; it is not thereby wrong.
        return message.StartsWith("Only SELECT statements", StringComparison.OrdinalIgnoreCase) ? null : message;
    }
}
