namespace Duraflow.Blocks.Text;

/// <summary>A 1-based line and column inside a text (a .sql or .csx file, or one YAML scalar).</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column number.</param>
internal readonly record struct TextPosition(int Line, int Column);
