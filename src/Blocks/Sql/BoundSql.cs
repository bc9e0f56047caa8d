namespace Duraflow.Blocks.Sql;

/// <summary>SQL text with placeholders, and the values bound to them in order.</summary>
/// <param name="Text">The SQL with every value template replaced by a placeholder.</param>
/// <param name="Parameters">The values, in placeholder order: strings, numbers, booleans, dates or null.</param>
internal sealed record BoundSql(string Text, IReadOnlyList<object?> Parameters);
