using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Duraflow.Blocks;

/// <summary>
/// Decimals and integers wider than <see cref="long"/> are written to the JSON lines a table is staged in as text,
/// not as JSON numbers: DuckDB's JSON reader parses a number with a fraction as a double before it becomes a
/// DECIMAL (12345678901234567.89 turned into ...567.68), while it converts text to DECIMAL digit for digit.
/// Only the row's own columns are written this way; nested values (JSON columns) keep their numbers.
/// </summary>
internal static class ExactNumberText
{
    // Options build their metadata once, so one per row type is kept; a script's collectible types are not held.
    private static readonly ConditionalWeakTable<Type, JsonSerializerOptions> Cache = [];

    /// <summary>The invariant text of a value <see cref="NumberShape.IsExact"/> picks; null for any other value.</summary>
    public static string? Of(object? value) =>
        NumberShape.IsExact(value) ? ((IFormattable)value!).ToString(null, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The block JSON options, except that the properties of <paramref name="rowType"/> holding decimals or wide
    /// integers write text.
    /// </summary>
    public static JsonSerializerOptions OptionsFor(Type rowType) => Cache.GetValue(rowType, Create);

    private static JsonSerializerOptions Create(Type rowType)
    {
        var options = new JsonSerializerOptions(BlockJson.Options);
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Type != rowType)
            {
                return;
            }

            foreach (var property in info.Properties)
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (type == typeof(decimal) || RowTypes.ColumnType(type) == RowTypes.WideInteger)
                {
                    property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(TextConverter<>).MakeGenericType(property.PropertyType))!;
                }
            }
        });
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Writes a number as its text. Staging files are only written, never read back through it.</summary>
    private sealed class TextConverter<T> : JsonConverter<T>
    {
        public override bool HandleNull => false;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("staged numbers are read by DuckDB");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(Of(value));
        }
    }
}
