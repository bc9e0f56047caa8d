using System.Globalization;
using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duraflow.Blocks;

/// <summary>
/// A <see cref="BigInteger"/> as a JSON number, digit for digit. System.Text.Json has no converter of its own and
/// would write the struct's properties (<c>{"is_zero": false, ...}</c>); databases hand out big integers for
/// DuckDB's HUGEINT (what <c>sum()</c> of integers gives) and for whole numbers too wide for <c>decimal</c>.
/// </summary>
internal sealed class BigIntegerJsonConverter : JsonConverter<BigInteger>
{
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A number, or a string holding one as the block convention allows for every number.
        var text = reader.TokenType switch
        {
            JsonTokenType.Number when reader.HasValueSequence => Encoding.UTF8.GetString(reader.ValueSequence.ToArray()),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => reader.GetString(),
            _ => null,
        };
        return text is not null && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"expected a whole number, found {reader.TokenType}");
    }

    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
