using System.Data.Common;
using System.Numerics;

namespace Duraflow.Blocks;

/// <summary>
/// Reads values from a database or DuckDB reader without failing on numbers wider than <see cref="decimal"/>'s 28
/// digits, which SQL holds up to 38: <c>sum()</c> over a <c>numeric(38,0)</c> or a DECIMAL(38,0) column that keeps a
/// big integer exact. Such a whole number is read as a <see cref="BigInteger"/>.
/// </summary>
internal static class DataReaderValues
{
    /// <summary>The value at <paramref name="ordinal"/> of the current row, null for SQL NULL.</summary>
    /// <param name="reader">The reader, on a row.</param>
    /// <param name="ordinal">The column.</param>
    /// <param name="row">The 1-based number of the row, for errors.</param>
    /// <param name="rowText">Names row <paramref name="row"/> in an error, as in "block X: row 3 of input 'orders'".</param>
    /// <exception cref="NonRetryableBlockException">The number is wider than a decimal and has a fraction.</exception>
    public static object? Get(DbDataReader reader, int ordinal, long row, Func<long, string> rowText)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(rowText);
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        try
        {
            return reader.GetValue(ordinal);
        }
        catch (Exception wide) when (wide is OverflowException or InvalidCastException)
        {
            try
            {
                return reader.GetFieldValue<BigInteger>(ordinal);
            }
            catch (Exception e) when (e is OverflowException or InvalidCastException or NotSupportedException)
            {
                // The same row gives the same number next time: only the SQL that makes it can make it fit.
                throw new NonRetryableBlockException(
                    $"{rowText(row)}: column {reader.GetName(ordinal)} holds a number with more digits than a .NET decimal keeps (28) and a fraction; "
                    + "round it, or cast it to a floating-point type, in the SQL that makes it", wide);
            }
        }
    }
}
