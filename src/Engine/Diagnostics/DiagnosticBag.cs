namespace Duraflow.Engine.Diagnostics;

/// <summary>Collects diagnostics so that every problem is reported at once rather than the first one only.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    /// <summary>Everything reported so far, in report order.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>True when at least one error was reported.</summary>
    public bool HasErrors => _items.Exists(d => d.IsError);

    /// <summary>Reports an error.</summary>
    public void Error(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(code, DiagnosticSeverity.Error, location, message));

    /// <summary>Reports a warning.</summary>
    public void Warning(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(code, DiagnosticSeverity.Warning, location, message));

    /// <summary>Adds diagnostics found elsewhere.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>The diagnostics ordered by file, line and column, as a user reads them.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
    [
        .. _items
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column),
    ];
}
