namespace Duraflow.Blocks.Templates;

/// <summary>Splits a <c>when</c> condition into tokens, rejecting characters no condition can contain.</summary>
internal static class WhenTokenizer
{
    // Two-character symbols come first so that "<=" is not read as "<" followed by "=".
    private static readonly string[] Symbols = ["{{", "}}", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")"];

    /// <summary>The tokens of <paramref name="text"/>, always ending with one <see cref="WhenTokenKind.End"/> token.</summary>
    public static List<WhenToken> Tokenize(string text)
    {
        var tokens = new List<WhenToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            if (i == text.Length)
            {
                tokens.Add(new WhenToken(WhenTokenKind.End, string.Empty, start));
                return tokens;
            }

            var c = text[i];
            WhenTokenKind kind;
            if (c is '\'' or '"')
            {
                kind = WhenTokenKind.String;
                i = EndOfString(text, start);
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                // A leading '-' can only be a sign: the language has no subtraction.
                kind = WhenTokenKind.Number;
                i = EndOfNumber(text, start);
            }
            else if (IsNameStart(c))
            {
                kind = WhenTokenKind.Word;
                i = EndOfWord(text, start);
            }
            else
            {
                kind = WhenTokenKind.Symbol;
                var symbol = Array.Find(Symbols, s => text.AsSpan(start).StartsWith(s, StringComparison.Ordinal))
                    ?? throw UnexpectedCharacter(text, start);
                i = start + symbol.Length;
            }

            tokens.Add(new WhenToken(kind, text[start..i], start));
        }
    }

    private static int EndOfString(string text, int start)
    {
        // No escapes: a string that needs one kind of quote can be written with the other.
        var quote = text[start];
        var closing = text.IndexOf(quote, start + 1);
        return closing >= 0
            ? closing + 1
            : throw WhenExpressionException.At(text, start, $"the string starting with {quote} is never closed; add a closing {quote}");
    }

    private static int EndOfNumber(string text, int start)
    {
        var i = start + 1;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i += 2;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        return i;
    }

    /// <summary>A name with any dotted segments after it; segments may start with a digit (<c>items.0</c>).</summary>
    private static int EndOfWord(string text, int start)
    {
        var i = start + 1;
        while (true)
        {
            while (i < text.Length && IsNamePart(text[i]))
            {
                i++;
            }

            if (i == text.Length || text[i] != '.')
            {
                return i;
            }

            if (i + 1 == text.Length || !IsNamePart(text[i + 1]))
            {
                throw WhenExpressionException.At(text, i, "'.' must be followed by a name or an array index");
            }

            i++;
        }
    }

    private static WhenExpressionException UnexpectedCharacter(string text, int offset) =>
        WhenExpressionException.At(text, offset, text[offset] switch
        {
            '=' => "'=' is not an operator; use '==' to compare",
            '&' => "'&' is not an operator; use '&&' or 'and'",
            '|' => "'|' is not an operator (when conditions have no filters); use '||' or 'or'",
            var c => $"unexpected character '{c}'",
        });

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
