namespace Duraflow.Blocks.Templates;

/// <summary>A parsed <c>when</c> condition, or one part of it.</summary>
internal abstract record WhenNode;

/// <summary>A number (as <see cref="decimal"/>), string, boolean or null written in the condition.</summary>
internal sealed record WhenLiteral(object? Value) : WhenNode;

/// <summary>A path such as <c>blocks.count_changes.changed</c>; <paramref name="Segments"/> has at least two entries, or one for a value root such as <c>output</c>.</summary>
internal sealed record WhenPath(string Text, IReadOnlyList<string> Segments, int Offset) : WhenNode;

/// <summary><c>not</c> or <c>!</c>.</summary>
internal sealed record WhenNot(WhenNode Operand) : WhenNode;

/// <summary><c>and</c> or <c>&amp;&amp;</c>.</summary>
internal sealed record WhenAnd(WhenNode Left, WhenNode Right) : WhenNode;

/// <summary><c>or</c> or <c>||</c>.</summary>
internal sealed record WhenOr(WhenNode Left, WhenNode Right) : WhenNode;

/// <summary>One of <c>== != &lt; &lt;= &gt; &gt;=</c>; the offset of the operator is kept for type errors.</summary>
internal sealed record WhenComparison(string Operator, WhenNode Left, WhenNode Right, int Offset) : WhenNode;
