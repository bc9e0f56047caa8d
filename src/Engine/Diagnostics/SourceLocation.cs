namespace Duraflow.Engine.Diagnostics;

/// <summary>A place in a user's file. Line and column are 1-based; 0 means the whole file.</summary>
/// <param name="File">The path as it should be shown to the user.</param>
/// <param name="Line">1-based line, or 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>Formats as <c>file:line:col</c>, or just <c>file</c> when there is no line.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
