using System.Text.Json;
using Duraflow.Blocks;

namespace Duraflow.Engine.Workers;

/// <summary>A look at a block's stored output, for people (the dashboard, the API): never the whole of a large one.</summary>
internal abstract record OutputPreview;

/// <summary>A JSON output: its value when it is small enough to show whole, else the start of its text.</summary>
/// <param name="Bytes">Its size, UTF-8.</param>
/// <param name="Value">The value; null when the output is larger than <see cref="OutputPreviews.MaxJsonBytes"/>.</param>
/// <param name="Head">For a larger output: its first <see cref="OutputPreviews.HeadBytes"/> bytes of text; else null.</param>
internal sealed record JsonOutputPreview(long Bytes, JsonElement? Value, string? Head) : OutputPreview;

/// <summary>A table output: its columns with their types, how many rows it has, and its first rows.</summary>
/// <param name="RowCount">Its rows.</param>
/// <param name="Columns">Its columns, in order.</param>
/// <param name="Rows">Its first rows, as a JSON array of objects.</param>
internal sealed record TableOutputPreview(long RowCount, IReadOnlyList<TableColumn> Columns, JsonElement Rows) : OutputPreview;
