using Duraflow.Engine.Diagnostics;
using Spectre.Console;

namespace Duraflow.Cli.Output;

/// <summary>
/// Console output with colour when a person watches a capable terminal, and plain unwrapped text when the output is
/// redirected or NO_COLOR is set, so scripts and editors can parse lines such as <c>file:line:col: error CODE: ...</c>.
/// </summary>
internal sealed class Terminal
{
    private readonly IAnsiConsole _console = AnsiConsole.Console;
    private readonly TextWriter _out = Console.Out;
    private readonly TextWriter _error = Console.Error;

    public Terminal()
    {
        IsInteractive = !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && AnsiConsole.Profile.Capabilities.Ansi;
    }

    /// <summary>True when colour and tables are shown.</summary>
    public bool IsInteractive { get; }

    public void Line(string text = "") => _out.WriteLine(text);

    /// <summary>Writes text with Spectre markup when interactive, or <paramref name="plain"/> otherwise.</summary>
    public void Markup(string markup, string plain)
    {
        if (IsInteractive)
        {
            _console.MarkupLine(markup);
        }
        else
        {
            _out.WriteLine(plain);
        }
    }

    public void Error(string message)
    {
        if (!Console.IsErrorRedirected && IsInteractive)
        {
            _console.MarkupLine($"[red]error:[/] {Escape(message)}");
        }
        else
        {
            _error.WriteLine($"error: {message}");
        }
    }

    /// <summary>Writes text exactly as given, for machine-readable output such as graphs.</summary>
    public void Raw(string text) => _out.Write(text);

    /// <summary>A line of advice on the error stream, after an error.</summary>
    public void Hint(string text) => _error.WriteLine(text);

    /// <summary>
    /// Writes one diagnostic on one line whatever the terminal width, so editors and terminals can still link its
    /// <c>file:line:col</c>; colour is added with plain ANSI codes rather than Spectre, which would wrap the line.
    /// </summary>
    public void Diagnostic(Diagnostic diagnostic)
    {
        if (!IsInteractive)
        {
            _out.WriteLine(diagnostic.ToString());
            return;
        }

        var severity = diagnostic.IsError ? "\e[31merror\e[0m" : "\e[33mwarning\e[0m";
        _out.WriteLine($"\e[1m{diagnostic.Location}\e[0m: {severity} \e[90m{diagnostic.Code}\e[0m: {diagnostic.Message}");
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn($"[bold]{Escape(header)}[/]").NoWrap());
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(Escape)]);
        }

        _console.Write(table);
    }

    /// <summary>A table when interactive; otherwise aligned plain columns that scripts can split on runs of spaces.</summary>
    public void Rows(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (IsInteractive)
        {
            Table(headers, rows);
            return;
        }

        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        foreach (var row in rows.Prepend(headers))
        {
            _out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    public static string Escape(string text) => Spectre.Console.Markup.Escape(text);
}
