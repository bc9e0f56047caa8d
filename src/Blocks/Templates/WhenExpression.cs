using System.Globalization;
using System.Text.Json;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// Evaluates a block's <c>when</c> condition, such as
/// <c>{{ blocks.count_changes.changed &gt; 0 or params.full_refresh }}</c>, to decide whether the block runs.
/// </summary>
/// <remarks>
/// <para>
/// The language is deliberately small: <c>or</c>/<c>||</c>, <c>and</c>/<c>&amp;&amp;</c>, <c>not</c>/<c>!</c>,
/// the comparisons <c>== != &lt; &lt;= &gt; &gt;=</c>, parentheses, numbers, quoted strings, <c>true</c>,
/// <c>false</c>, <c>null</c> and paths that start with a template root. It has no arithmetic and no filters.
/// </para>
/// <para>
/// Numbers compare numerically and strings ordinally; values of different types are never equal and cannot be
/// ordered (there is no coercion, so <c>'1' == 1</c> is false). A missing value is null. A bare value counts as
/// false when it is false, null, 0, an empty string or an empty array, and as true otherwise.
/// </para>
/// <para>
/// <c>and</c> and <c>or</c> stop as soon as the result is known, so <c>blocks.a.n != null and blocks.a.n &gt; 0</c>
/// does not fail when <c>blocks.a</c> produced nothing. Syntax errors and unknown names are reported even in the
/// part that is skipped.
/// </para>
/// </remarks>
internal static class WhenExpression
{
    /// <summary>Evaluates <paramref name="text"/> and tells whether the block should run.</summary>
    /// <param name="text">
    /// The whole <c>when</c> value: one <c>{{ expression }}</c>, with any whitespace around it, or a bare expression.
    /// </param>
    /// <param name="resolveRoot">
    /// Returns the value for the first two segments of a path joined by a dot (<c>blocks.count_changes</c>,
    /// <c>params.full_refresh</c>, <c>run.id</c>), or null when it is unknown or absent. Later segments are looked up
    /// inside that value: property names in objects, 0-based indexes in arrays.
    /// </param>
    /// <returns>True when the condition holds.</returns>
    /// <exception cref="WhenExpressionException">
    /// The condition is malformed, names an unknown root, or compares values that cannot be compared. The message
    /// starts with the column of the problem.
    /// </exception>
    /// <param name="valueRoot">
    /// A name that stands for one whole value (see <see cref="WhenParser.Parse"/>); <paramref name="resolveRoot"/> is
    /// asked for it by that name alone. Null in a <c>when</c>.
    /// </param>
    public static bool Evaluate(string text, Func<string, JsonElement?> resolveRoot, string? valueRoot = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(resolveRoot);
        var condition = WhenParser.Parse(text, valueRoot);
        return IsTruthy(new Evaluator(text, resolveRoot, valueRoot).Value(condition));
    }

    private static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        decimal d => d != 0,
        string s => s.Length > 0,
        JsonElement { ValueKind: JsonValueKind.Array } array => array.GetArrayLength() > 0,
        _ => true,
    };

    /// <summary>
    /// Computes values as null, <see cref="bool"/>, <see cref="decimal"/>, <see cref="string"/>, or a
    /// <see cref="JsonElement"/> for arrays and objects. Decimal, not double, so that <c>0.1</c> written in the
    /// condition equals <c>0.1</c> in a block's output.
    /// </summary>
    private sealed class Evaluator(string text, Func<string, JsonElement?> resolveRoot, string? valueRoot)
    {
        public object? Value(WhenNode node) => node switch
        {
            WhenLiteral literal => literal.Value,
            WhenPath path => Resolve(path),
            WhenNot not => !IsTruthy(Value(not.Operand)),
            WhenAnd and => IsTruthy(Value(and.Left)) && IsTruthy(Value(and.Right)),
            WhenOr or => IsTruthy(Value(or.Left)) || IsTruthy(Value(or.Right)),
            WhenComparison comparison => Compare(comparison),
            _ => throw new InvalidOperationException($"unknown condition node {node.GetType().Name}"),
        };

        private object? Resolve(WhenPath path)
        {
            // A value root is the whole value; a template root needs its name too (blocks.NAME) before the path goes inside.
            var whole = path.Segments[0] == valueRoot;
            var value = whole ? resolveRoot(valueRoot!) : resolveRoot(path.Segments[0] + "." + path.Segments[1]);
            for (var i = whole ? 1 : 2; i < path.Segments.Count && value is { } current; i++)
            {
                value = Child(current, path.Segments[i]);
            }

            return value?.ValueKind switch
            {
                null or JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => value.Value.GetString(),
                JsonValueKind.Number => value.Value.TryGetDecimal(out var number)
                    ? number
                    : throw WhenExpressionException.At(text, path.Offset, $"'{path.Text}' is the number {value.Value.GetRawText()}, which is too large to compare"),
                _ => value.Value,
            };
        }

        private static JsonElement? Child(JsonElement parent, string segment) => parent.ValueKind switch
        {
            JsonValueKind.Object => parent.TryGetProperty(segment, out var property) ? property : null,
            JsonValueKind.Array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < parent.GetArrayLength() ? parent[index] : null,
            _ => null,
        };

        private bool Compare(WhenComparison comparison)
        {
            var left = Value(comparison.Left);
            var right = Value(comparison.Right);
            var op = comparison.Operator;
            if (op is "==" or "!=")
            {
                // Boxed decimal, string and bool compare by value (strings ordinally); arrays and objects by content.
                var equal = left is JsonElement a && right is JsonElement b ? JsonElement.DeepEquals(a, b) : Equals(left, right);
                return equal == (op == "==");
            }

            var order = (left, right) switch
            {
                (decimal a, decimal b) => a.CompareTo(b),
                (string a, string b) => string.CompareOrdinal(a, b),
                _ => throw CannotOrder(comparison, left, right),
            };
            return op switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }

        private WhenExpressionException CannotOrder(WhenComparison comparison, object? left, object? right)
        {
            var hint = left is null || right is null
                ? "a missing value is null; test it first, as in 'x != null and x > 0'"
                : "only two numbers or two strings can be ordered";
            return WhenExpressionException.At(
                text, comparison.Offset, $"cannot compare {TypeName(left)} with {TypeName(right)} using '{comparison.Operator}'; {hint}");
        }

        private static string TypeName(object? value) => value switch
        {
            null => "null",
            bool => "a boolean",
            decimal => "a number",
            string => "a string",
            JsonElement { ValueKind: JsonValueKind.Array } => "an array",
            _ => "an object",
        };
    }
}
