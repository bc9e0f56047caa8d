using System.Globalization;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// A block's <c>when</c> condition that cannot be read or evaluated. The message starts with where the problem is
/// inside the condition text (<c>column 14: ...</c>, or <c>line 2, column 3: ...</c> when the text spans lines).
/// </summary>
internal sealed class WhenExpressionException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and its column.</summary>
    public WhenExpressionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public WhenExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public WhenExpressionException()
        : base("the when condition could not be evaluated")
    {
    }

    /// <summary>An exception for a problem at <paramref name="offset"/> (0-based) in <paramref name="text"/>.</summary>
    internal static WhenExpressionException At(string text, int offset, string problem) =>
        new($"{Where(text, offset)}: {problem}");

    /// <summary>
    /// "column N", or "line L, column N" for a condition that spans lines (a YAML block scalar), so the column is
    /// never counted across line breaks.
    /// </summary>
    internal static string Where(string text, int offset)
    {
        var position = new LineMap(text).PositionOf(offset);
        return position.Line == 1
            ? string.Create(CultureInfo.InvariantCulture, $"column {position.Column}")
            : string.Create(CultureInfo.InvariantCulture, $"line {position.Line}, column {position.Column}");
    }
}
