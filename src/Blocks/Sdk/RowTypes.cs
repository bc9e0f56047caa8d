using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Duraflow.Blocks;

/// <summary>
/// Decides which returned values are tables (a sequence of records or dictionaries) and maps a record's properties to
/// column types, using the same names the block JSON convention writes.
/// </summary>
internal static class RowTypes
{
    /// <summary>
    /// The column type of <see cref="System.Numerics.BigInteger"/>, <see cref="Int128"/> and <see cref="UInt128"/>
    /// properties: a placeholder that the writer turns into BIGINT or DECIMAL(38,0) by the values (see
    /// <see cref="NumberShape"/>), since Parquet has no 128-bit integer.
    /// </summary>
    public const string WideInteger = "HUGEINT";

    /// <summary>
    /// The row type when <paramref name="value"/> is a sequence of rows: records, classes, anonymous objects or
    /// string-keyed dictionaries. Strings, scalars, JSON values and sequences of those are not tables.
    /// </summary>
    public static Type? RowTypeOf(object? value)
    {
        if (value is null or string or JsonElement or JsonNode or IDictionary || value is not IEnumerable)
        {
            return null;
        }

        var sequence = value.GetType().GetInterfaces().Append(value.GetType())
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var element = sequence?.GetGenericArguments()[0];
        return element is not null && IsRow(element) ? element : null;
    }

    /// <summary>True for string-keyed dictionaries, whose columns are found from the data.</summary>
    public static bool IsDictionary(Type rowType) =>
        rowType.GetInterfaces().Append(rowType).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            && i.GetGenericArguments()[0] == typeof(string));

    /// <summary>The columns of a record type, by its JSON property names, with their DuckDB types.</summary>
    public static IReadOnlyList<(JsonPropertyInfo Property, string? Type)> Columns(Type rowType) =>
        BlockJson.Options.GetTypeInfo(rowType).Properties
            .Where(p => p.Get is not null)
            .Select(p => (p, ColumnType(p.PropertyType)))
            .ToList();

    private static bool IsRow(Type type) =>
        IsDictionary(type) || (ColumnType(type) is null && BlockJson.Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object
            && type != typeof(object) && type != typeof(JsonElement) && !typeof(JsonNode).IsAssignableFrom(type));

    /// <summary>
    /// The C# property type that reads a column of DuckDB type <paramref name="columnType"/> (<c>DECIMAL(9,2)</c>
    /// gives <c>decimal</c>), as the type table of docs/blocks.md has it; null for nested types.
    /// </summary>
    public static string? PropertyTypeFor(string columnType)
    {
        ArgumentNullException.ThrowIfNull(columnType);
        var paren = columnType.IndexOf('(', StringComparison.Ordinal);
        return (paren < 0 ? columnType : columnType[..paren]).Trim() switch
        {
            "BIGINT" => "long",
            "INTEGER" => "int",
            "SMALLINT" => "short",
            "TINYINT" => "sbyte",
            "UBIGINT" => "ulong",
            "UINTEGER" => "uint",
            "HUGEINT" or "UHUGEINT" => "BigInteger",
            "DOUBLE" or "FLOAT" => "double",
            "DECIMAL" => "decimal",
            "VARCHAR" => "string",
            "BOOLEAN" => "bool",
            "DATE" => "DateOnly",
            "TIME" => "TimeOnly",
            "TIMESTAMP" => "DateTime",
            "TIMESTAMP WITH TIME ZONE" => "DateTimeOffset",
            "UUID" => "Guid",
            _ => null,
        };
    }

    /// <summary>The DuckDB type for a scalar property; null for nested values (stored as JSON text).</summary>
    public static string? ColumnType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "VARCHAR";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "BOOLEAN",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 => "INTEGER",
            TypeCode.UInt32 or TypeCode.Int64 => "BIGINT",
            TypeCode.UInt64 => "UBIGINT",
            TypeCode.Single or TypeCode.Double => "DOUBLE",
            TypeCode.Decimal => "DECIMAL",
            TypeCode.String or TypeCode.Char => "VARCHAR",
            TypeCode.DateTime => "TIMESTAMP",
            _ when type == typeof(DateTimeOffset) => "TIMESTAMPTZ",
            _ when type == typeof(DateOnly) => "DATE",
            _ when type == typeof(TimeOnly) => "TIME",
            _ when type == typeof(Guid) => "UUID",
            _ when type == typeof(System.Numerics.BigInteger) || type == typeof(Int128) || type == typeof(UInt128) => WideInteger,
            _ when type == typeof(TimeSpan) || type == typeof(byte[]) || type == typeof(Uri) => "VARCHAR",
            _ => null,
        };
    }
}
