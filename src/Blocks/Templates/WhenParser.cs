using System.Globalization;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Templates;

/// <summary>
/// Recursive-descent parser for <c>when</c> conditions. It reports every syntax error and unknown name, whatever the
/// values turn out to be, so a typo in a branch that is rarely taken still fails on the first run.
/// </summary>
/// <remarks>
/// Precedence, lowest first: <c>or</c>, <c>and</c>, <c>not</c>, comparison, value. <c>not</c> sits above the
/// comparisons, so <c>not a == b</c> means <c>not (a == b)</c>, as in Python and Jinja.
/// </remarks>
internal sealed class WhenParser
{
    private const string OpenInsideCondition = "'{{' can only open the condition; put the whole condition inside one '{{ ... }}'";

    private static readonly string[] ComparisonOperators = ["==", "!=", "<", "<=", ">", ">="];

    /// <summary>
    /// How deeply 'not's and parentheses may nest. Parsing and evaluating recurse once a level, and a condition of
    /// 100,000 '('s would overflow the stack and end the process; real conditions stay far below this.
    /// </summary>
    public const int MaxNesting = 64;

    private readonly string _text;
    private readonly string? _valueRoot;
    private readonly List<WhenToken> _tokens;
    private int _position;
    private int _nesting;

    private WhenParser(string text, string? valueRoot)
    {
        _text = text;
        _valueRoot = valueRoot;
        _tokens = WhenTokenizer.Tokenize(text);
    }

    private WhenToken Current => _tokens[_position];

    /// <summary>Parses the whole condition: one <c>{{ expr }}</c> or a bare <c>expr</c>.</summary>
    /// <param name="text">The condition.</param>
    /// <param name="valueRoot">
    /// A name that stands for one whole value and may be used alone or with a path after it, besides the template
    /// roots: <c>output</c> in a <c>repeat.until</c>, which reads the block's own latest output. Null in a <c>when</c>.
    /// </param>
    public static WhenNode Parse(string text, string? valueRoot = null) => new WhenParser(text, valueRoot).ParseCondition();

    private WhenNode ParseCondition()
    {
        WhenToken? open = Current.Is("{{") ? Advance() : null;
        if (Current.Kind == WhenTokenKind.End || (open is not null && Current.Is("}}")))
        {
            throw Error(Current, "the condition is empty; write an expression such as 'params.full_refresh' or 'blocks.check.count > 0'");
        }

        var condition = ParseOr();
        if (open is { } opening)
        {
            if (Current.Kind == WhenTokenKind.End)
            {
                throw Error(opening, "'{{' is never closed; add '}}' after the expression");
            }

            if (!Current.Is("}}"))
            {
                throw Unexpected(Current);
            }

            Advance();
            if (Current.Kind != WhenTokenKind.End)
            {
                throw Error(Current, $"unexpected '{Current.Text}' after '}}}}'; put the whole condition inside one '{{{{ ... }}}}'");
            }
        }
        else if (Current.Kind != WhenTokenKind.End)
        {
            throw Unexpected(Current);
        }

        return condition;
    }

    private WhenNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Is("or") || Current.Is("||"))
        {
            Advance();
            left = new WhenOr(left, ParseAnd());
        }

        return left;
    }

    private WhenNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.Is("and") || Current.Is("&&"))
        {
            Advance();
            left = new WhenAnd(left, ParseNot());
        }

        return left;
    }

    private WhenNode ParseNot()
    {
        if (Current.Is("not") || Current.Is("!"))
        {
            var not = Advance();
            Enter(not);
            var negated = new WhenNot(ParseNot());
            _nesting--;
            return negated;
        }

        return ParseComparison();
    }

    private WhenNode ParseComparison()
    {
        var left = ParseValue();
        if (!IsComparison(Current))
        {
            return left;
        }

        var op = Advance();
        var right = ParseValue();
        if (IsComparison(Current))
        {
            // "1 < x < 3" reads like a range check but would compare a boolean with 3; say so instead.
            throw Error(Current, "comparisons cannot be chained; join them with 'and', as in 'a < b and b < c'");
        }

        return new WhenComparison(op.Text, left, right, op.Offset);
    }

    private WhenNode ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case WhenTokenKind.Number:
                Advance();
                return decimal.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? new WhenLiteral(number)
                    : throw Error(token, $"the number {token.Text} is too large");
            case WhenTokenKind.String:
                Advance();
                return new WhenLiteral(token.Text[1..^1]);
            case WhenTokenKind.Word:
                return ParseWord();
            default:
                if (!token.Is("("))
                {
                    throw ExpectedValue();
                }

                Advance();
                Enter(token);
                var inner = ParseOr();
                _nesting--;
                if (!Current.Is(")"))
                {
                    throw Error(Current, $"expected ')' to close the '(' at {WhenExpressionException.Where(_text, token.Offset)}, found {Describe(Current)}");
                }

                Advance();
                return inner;
        }
    }

    private void Enter(WhenToken token)
    {
        if (++_nesting > MaxNesting)
        {
            throw Error(token, $"'not's and parentheses nest deeper than {MaxNesting} levels here; simplify the condition");
        }
    }

    private WhenNode ParseWord()
    {
        var token = Current;
        switch (token.Text)
        {
            case "true":
                Advance();
                return new WhenLiteral(true);
            case "false":
                Advance();
                return new WhenLiteral(false);
            case "null":
                Advance();
                return new WhenLiteral(null);
            case "and" or "or" or "not":
                throw ExpectedValue();
        }

        var segments = token.Text.Split('.');
        var root = segments[0];
        if (root == _valueRoot)
        {
            Advance();
            return new WhenPath(token.Text, segments, token.Offset);
        }

        if (!TemplateRoots.Conditions.Contains(root, StringComparer.Ordinal))
        {
            throw Error(token, UnknownName(root, _valueRoot));
        }

        if (segments.Length == 1)
        {
            throw Error(token, $"'{root}' needs a name after it, as in '{root}.NAME'");
        }

        Advance();
        return new WhenPath(token.Text, segments, token.Offset);
    }

    private static string UnknownName(string name, string? valueRoot)
    {
        // Keywords are candidates too, so 'True' suggests 'true'.
        string[] extra = valueRoot is null ? [] : [valueRoot];
        var hint = EditDistance.ClosestMatch(name, [.. TemplateRoots.Conditions, .. extra, "true", "false", "null", "and", "or", "not"]) is { } match
            ? $" (did you mean '{match}'?)"
            : string.Empty;
        List<string> starts = [.. TemplateRoots.Conditions.Select(r => r + "."), .. extra];
        return $"unknown name '{name}'{hint}; paths start with {string.Join(", ", starts.SkipLast(1))} or {starts[^1]}";
    }

    private static bool IsComparison(WhenToken token) =>
        token.Kind == WhenTokenKind.Symbol && ComparisonOperators.Contains(token.Text, StringComparer.Ordinal);

    private WhenToken Advance() => _tokens[_position++];

    private WhenExpressionException ExpectedValue()
    {
        if (Current.Is("{{"))
        {
            return Error(Current, OpenInsideCondition);
        }

        var after = _position > 0 ? $" after '{_tokens[_position - 1].Text}'" : string.Empty;
        return Error(Current, $"expected a value{after}, found {Describe(Current)}");
    }

    private WhenExpressionException Unexpected(WhenToken token) => token.Text switch
    {
        ")" => Error(token, "')' has no matching '('"),
        "}}" => Error(token, "'}}' has no matching '{{'"),
        "{{" => Error(token, OpenInsideCondition),
        _ => Error(token, $"unexpected {Describe(token)}; join conditions with 'and' or 'or'"),
    };

    private static string Describe(WhenToken token) =>
        token.Kind == WhenTokenKind.End ? "the end of the condition" : $"'{token.Text}'";

    private WhenExpressionException Error(WhenToken token, string problem) => WhenExpressionException.At(_text, token.Offset, problem);
}
