namespace Duraflow.Blocks;

/// <summary>One column of a <see cref="Table"/>: its name and its DuckDB type (BIGINT, VARCHAR, DATE, ...).</summary>
public sealed record TableColumn(string Name, string Type);
