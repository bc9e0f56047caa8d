using System.Collections;
using System.Text.Json;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks;

/// <summary>
/// What a block produces and its downstream blocks receive: a <see cref="Table"/> (rows, stored as Parquet)
/// or a JSON value (scalars, objects and lists of scalars).
/// </summary>
public sealed class BlockValue
{
    private BlockValue(JsonElement json, Table? table)
    {
        Json = json;
        Table = table;
    }

    /// <summary>JSON null, the output of a block that returned nothing and the input from a skipped block.</summary>
    public static BlockValue Null { get; } = new(BlockJson.ToElement(null), null);

    /// <summary>The table, when this value is one.</summary>
    public Table? Table { get; }

    /// <summary>The JSON value, when this value is not a table.</summary>
    public JsonElement Json { get; }

    /// <summary>True when this value is a table.</summary>
    public bool IsTable => Table is not null;

    /// <summary>A JSON value.</summary>
    public static BlockValue Of(JsonElement json) => new(json.ValueKind == JsonValueKind.Undefined ? Null.Json : json, null);

    /// <summary>A table.</summary>
    public static BlockValue Of(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new BlockValue(default, table);
    }

    /// <summary>The value as JSON; a table becomes an array of row objects (loaded whole, so keep it for small tables).</summary>
    public JsonElement AsJson(CancellationToken cancellationToken = default) => Table?.ToJson(cancellationToken) ?? Json;

    /// <summary>
    /// Turns what block code returned into a block value. A sequence of records or dictionaries becomes a table
    /// written under <paramref name="workDirectory"/>, unless <paramref name="asJson"/> asks for JSON (a fan-out
    /// block's list of items); anything else becomes JSON.
    /// </summary>
    /// <exception cref="NonRetryableBlockException">The value cannot be written as JSON.</exception>
    internal static BlockValue FromResult(object? result, string block, string workDirectory, bool asJson, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case BlockValue value:
                return value;
            case Table table:
                return Of(table);
            case JsonElement json:
                return Of(json);
        }

        if (!asJson && RowTypes.RowTypeOf(result) is { } rowType)
        {
            Directory.CreateDirectory(workDirectory);
            var path = Path.Combine(workDirectory, $"{block}-{Guid.NewGuid():N}.parquet");
            return Of(TableWriter.Write((IEnumerable)result!, rowType, path, cancellationToken));
        }

        try
        {
            return Of(BlockJson.ToElement(result));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Writing the same value fails the same way on every attempt (a cycle, a type JSON cannot hold).
            throw new NonRetryableBlockException(
                $"block {block} returned a {TypeDisplay.Name(result!.GetType())} that cannot be written as JSON: {e.Message}", e);
        }
    }
}
