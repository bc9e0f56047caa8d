namespace Duraflow.Blocks.Templates;

/// <summary>One token of a <c>when</c> condition.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Offset">0-based index of its first character in the whole condition text, for error columns.</param>
internal readonly record struct WhenToken(WhenTokenKind Kind, string Text, int Offset)
{
    /// <summary>True for the keyword or symbol <paramref name="text"/>; never for a string that merely contains it.</summary>
    public bool Is(string text) => Kind is WhenTokenKind.Word or WhenTokenKind.Symbol && Text == text;
}
