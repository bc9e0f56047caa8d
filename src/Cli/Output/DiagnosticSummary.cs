using Duraflow.Engine.Diagnostics;

namespace Duraflow.Cli.Output;

/// <summary>Prints every diagnostic and a one-line summary; shared by commands that validate first.</summary>
internal static class DiagnosticSummary
{
    /// <summary>Prints the diagnostics; returns true when none is an error.</summary>
    public static bool Print(Terminal terminal, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            terminal.Diagnostic(diagnostic);
        }

        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        if (errors > 0)
        {
            var text = $"{Plural(errors, "error")}, {Plural(warnings, "warning")}";
            terminal.Markup($"[red]✗[/] {text}", text);
        }

        return errors == 0;
    }

    public static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";
}
