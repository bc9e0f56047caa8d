using System.Globalization;
using System.Numerics;

namespace Duraflow.Blocks;

/// <summary>
/// The exact column type for the numbers one column of written rows holds, found by looking at every value: a
/// decimal column is <c>DECIMAL(p,s)</c> exactly as wide as the data (money keeps its cents, and 12.5 is not written
/// as 12.5000000000), and a column of big integers (a database's <c>sum()</c>) is <c>BIGINT</c> when every value
/// fits, else <c>DECIMAL(38,0)</c>. Parquet has nothing exact beyond 38 digits, so wider numbers fall back to
/// <c>DOUBLE</c>.
/// </summary>
internal sealed class NumberShape
{
    private const int MaxPrecision = 38;

    private int _integerDigits;
    private int _scale;
    private bool _exact;
    private bool _beyondLong;
    private bool _floating;
    private bool _other;

    /// <summary>
    /// True once the column held a value that JSON and DuckDB's JSON reader would not keep exact: a
    /// <see cref="decimal"/> or an integer wider than <see cref="long"/>'s type.
    /// </summary>
    public bool HasExactValues => _exact;

    /// <summary>True for the values whose text, not a JSON number, is written (see <see cref="HasExactValues"/>).</summary>
    public static bool IsExact(object? value) => value is decimal or BigInteger or Int128 or UInt128;

    /// <summary>Takes one value of the column into account; null changes nothing.</summary>
    public void Observe(object? value)
    {
        switch (value)
        {
            case null:
                return;
            case decimal number:
                _exact = true;
                _scale = Math.Max(_scale, number.Scale);
                var whole = decimal.Truncate(Math.Abs(number));
                _beyondLong |= whole > long.MaxValue;
                Digits(whole == 0 ? 0 : whole.ToString(CultureInfo.InvariantCulture).Length);
                return;
            case BigInteger number:
                _exact = true;
                Integer(number);
                return;
            case Int128 number:
                _exact = true;
                Integer(number);
                return;
            case UInt128 number:
                _exact = true;
                Integer(number);
                return;
            case long or int or short or sbyte or byte or ushort or uint:
                Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong number:
                Integer(number);
                return;
            case double or float:
                _floating = true;
                return;
            default:
                _other = true;
                return;
        }
    }

    /// <summary>
    /// The DuckDB type for the column. <paramref name="declaredDecimal"/> keeps a C# <c>decimal</c> property a
    /// DECIMAL even when its values are whole, as the record declares; undeclared whole numbers (a database's
    /// <c>numeric</c> sum, a dictionary's values) are integers.
    /// </summary>
    public string TypeName(bool declaredDecimal)
    {
        if (_other)
        {
            return "VARCHAR";
        }

        if (_floating)
        {
            return "DOUBLE";
        }

        if (_scale == 0 && !declaredDecimal)
        {
            return !_beyondLong ? "BIGINT" : _integerDigits <= MaxPrecision ? "DECIMAL(38,0)" : "DOUBLE";
        }

        if (!_exact && _integerDigits == 0)
        {
            // A decimal property that only ever held null: a common money shape rather than DECIMAL(1,0).
            return "DECIMAL(18,2)";
        }

        var precision = Math.Max(1, _integerDigits + _scale);
        return precision > MaxPrecision ? "DOUBLE" : string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision},{_scale})");
    }

    private void Integer(BigInteger value)
    {
        _beyondLong |= value < long.MinValue || value > long.MaxValue;
        Digits(value.IsZero ? 0 : BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture).Length);
    }

    private void Digits(int integerDigits) => _integerDigits = Math.Max(_integerDigits, integerDigits);
}
