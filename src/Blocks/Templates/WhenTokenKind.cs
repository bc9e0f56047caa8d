namespace Duraflow.Blocks.Templates;

/// <summary>What a <see cref="WhenToken"/> is.</summary>
internal enum WhenTokenKind
{
    /// <summary>A keyword (<c>and</c>, <c>true</c>, ...) or a dotted path; the parser tells them apart.</summary>
    Word,

    /// <summary>A number such as <c>3</c>, <c>-1</c> or <c>0.25</c>.</summary>
    Number,

    /// <summary>A quoted string; the text keeps its quotes so error messages show it as written.</summary>
    String,

    /// <summary>An operator, a parenthesis, or the <c>{{</c> and <c>}}</c> around the condition.</summary>
    Symbol,

    /// <summary>The end of the text.</summary>
    End,
}
