using Duraflow.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Parses YAML text, turning every parser failure into a located DF014 instead of an exception, and refusing files
/// too large or too deeply nested to be definitions before they reach code that could not cope with them.
/// </summary>
internal static class YamlDocuments
{
    /// <summary>The deepest nesting of mappings and sequences a definition file may have.</summary>
    public const int MaxNesting = 64;

    /// <summary>The largest definition file read, in characters (a 10,000-block pipeline is under 1 MB).</summary>
    public const int MaxCharacters = 8 * 1024 * 1024;

    /// <summary>The parsed stream, or null after reporting why it could not be parsed.</summary>
    public static YamlStream? Load(string text, LoadContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        if (text.Length > MaxCharacters)
        {
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(context.DisplayPath, 1, 1),
                $"the file has {text.Length:N0} characters, more than the {MaxCharacters:N0} a definition file may have; split it or move data out of it");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            if (FirstTooDeep(text) is { } deep)
            {
                context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, context.At(deep),
                    $"nesting deeper than {MaxNesting} levels starts here; definitions need far fewer, so flatten it");
                return null;
            }

            stream.Load(new StringReader(text));
            return stream;
        }
        catch (YamlException e) when (Describe(e).Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndent(text, (int)e.Start.Line) is { } tab)
        {
            // The parser reports a tab where its scan started (often 1:1), not on the line the tab indents.
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(context.DisplayPath, tab.Line, tab.Column),
                "invalid YAML: a tab indents this line; YAML indents with spaces only, so replace the tab with spaces");
        }
        catch (YamlException e)
        {
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, context.At(e.Start), $"invalid YAML: {Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this instead of a YamlException when the text ends inside an open flow collection.
            var lastLine = text.TrimEnd().Split('\n').Length;
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(context.DisplayPath, lastLine, 1), "invalid YAML: the file ends before an opening '[', '{' or quote is closed");
        }

        return null;
    }

    // Building the node tree, and every reader after it, recurses once per level, so a file of 100,000 '['s would
    // overflow the stack and take the process down. The event parser keeps its own stack: walk its events first.
    // An alias stands for its anchor's whole tree, so it counts as deep as that tree reaches; chained anchors would
    // otherwise multiply the depth the text shows.
    private static Mark? FirstTooDeep(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(int Depth, string? Anchor, int Deepest)>();
        var heights = new Dictionary<string, int>(StringComparer.Ordinal);
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            var depth = open.Count == 0 ? 0 : open.Peek().Depth;
            switch (current)
            {
                case MappingStart or SequenceStart:
                    if (depth + 1 > MaxNesting)
                    {
                        return current.Start;
                    }

                    var anchor = ((NodeEvent)current).Anchor;
                    open.Push((depth + 1, anchor.IsEmpty ? null : anchor.Value, depth + 1));
                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    var closed = open.Pop();
                    if (closed.Anchor is { } name)
                    {
                        heights[name] = closed.Deepest - closed.Depth + 1;
                    }

                    Reach(open, closed.Deepest);
                    break;
                case AnchorAlias alias when heights.TryGetValue(alias.Value.Value, out var height):
                    if (depth + height > MaxNesting)
                    {
                        return current.Start;
                    }

                    Reach(open, depth + height);
                    break;
            }
        }

        return null;
    }

    private static void Reach(Stack<(int Depth, string? Anchor, int Deepest)> open, int depth)
    {
        if (open.TryPop(out var parent))
        {
            open.Push(parent with { Deepest = Math.Max(parent.Deepest, depth) });
        }
    }

    // The first tab among a line's leading spaces and tabs, 1-based, on or after the line where the parser's scan
    // started (a tab earlier, in a block scalar, is legal); null when no such line is indented with one.
    private static (int Line, int Column)? FirstTabIndent(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0 && indent < lines[i].TrimEnd('\r').Length)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the diagnostic has the location already.
    private static string Describe(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var separator = message.LastIndexOf("): ", StringComparison.Ordinal);
        return separator >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(separator + 3)..] : message;
    }
}
