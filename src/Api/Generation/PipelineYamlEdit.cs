using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Api.Generation;

/// <summary>
/// Adds a block to a pipeline.yaml by editing its text: the new item goes after the last item of <c>blocks:</c>, at
/// its indentation, and every other line (comments, blank lines, quoting, order) stays as the user wrote it.
/// </summary>
internal static class PipelineYamlEdit
{
    /// <summary>The text with block <paramref name="name"/> using <paramref name="uses"/> appended to <c>blocks:</c>.</summary>
    /// <exception cref="GenerationException">The file's <c>blocks:</c> is not a list of blocks written one item per line, or the edit would change what the file says.</exception>
    public static string AddBlock(string text, string name, string uses)
    {
        ArgumentNullException.ThrowIfNull(text);

        // YAML breaks lines at these too, and this edit counts lines as the parser does only with \n and \r\n.
        if (text.Replace("\r\n", "\n", StringComparison.Ordinal).Any(c => c is '\r' or '\u0085' or '\u2028' or '\u2029'))
        {
            throw new GenerationException("pipeline.yaml breaks lines with a lone carriage return, NEL, U+2028 or U+2029; save it with \\n or \\r\\n line endings so a block can be added");
        }

        var blocks = BlocksOf(text, "pipeline.yaml does not parse; fix it first (duraflow validate)");
        if (blocks.Style == SequenceStyle.Flow || blocks.Children.Count == 0)
        {
            throw new GenerationException("pipeline.yaml writes 'blocks:' as a [...] list; write it one '- name:' item per line so a block can be added");
        }

        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n');
        var last = blocks.Children[^1];
        var startLine = (int)last.Start.Line - 1;
        var line = lines[startLine];
        var beforeKey = Math.Min((int)last.Start.Column - 1, line.Length) - 1;
        var dash = beforeKey < 0 ? -1 : line.LastIndexOf('-', beforeKey);
        if (dash < 0 || line[..dash].Trim().Length > 0 || line[(dash + 1)..(beforeKey + 1)].Trim().Length > 0)
        {
            throw new GenerationException($"pipeline.yaml's last block (line {startLine + 1}) does not start with '- ' on its own line; write each block as a '- name:' item so one can be added");
        }

        // Keys of the new item line up with those of the last one when it is written as a block mapping.
        var keyColumn = last is YamlMappingNode { Style: not MappingStyle.Flow } ? (int)last.Start.Column - 1 : dash + 2;
        var end = LastLineOf(lines, LastContentLine(last, lines), dash);
        var item = $"{new string(' ', dash)}-{new string(' ', keyColumn - dash - 1)}name: {name}{newline}{new string(' ', keyColumn)}uses: {uses}";

        // The item goes after the last line of the last block, whose line break it takes over; what follows stays.
        // Blocks set apart by blank lines get one before the new block too.
        var head = string.Join('\n', lines[..(end + 1)]).TrimEnd('\r');
        var tail = end + 1 < lines.Length ? string.Join('\n', lines[(end + 1)..]) : "";
        var spaced = startLine > 0 && lines[startLine - 1].Trim().Length == 0 ? newline : "";
        var edited = head + newline + spaced + item + newline + tail;
        Check(blocks, edited, name, uses);
        return edited;
    }

    // The line where the last block's content ends, as the parser read it: the end of its last value, whatever the
    // indentation of lines in between (a comment at the dash's column, a block scalar holding '---').
    private static int LastContentLine(YamlNode item, string[] lines)
    {
        // Only scalars and [...]/{...} collections end where their text does; a block collection ends at the next token.
        var end = item.AllNodes
            .Where(n => n is YamlScalarNode or YamlMappingNode { Style: MappingStyle.Flow } or YamlSequenceNode { Style: SequenceStyle.Flow })
            .Max(n => (n.End.Line, n.End.Column));

        // A block scalar ends at the start of the line after its text: its content is on the line before.
        var line = (int)end.Line - 1;
        if (end.Column == 1 && line > 0)
        {
            line--;
        }

        return Math.Min(line, lines.Length - 1);
    }

    // After the last value, the item's own comments (indented past its dash) stay with it; the first other line ends it.
    private static int LastLineOf(string[] lines, int lastContent, int dash)
    {
        var last = lastContent;
        for (var i = lastContent + 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (!trimmed.StartsWith('#') || line.Length - trimmed.Length <= dash)
            {
                break;
            }

            last = i;
        }

        return last;
    }

    // What the engine will read must be what was meant: every block as it was, then this one, with nothing else.
    private static void Check(YamlSequenceNode before, string edited, string name, string uses)
    {
        var manual = $"add the block by hand at the end of 'blocks:': - name: {name} / uses: {uses}";
        var after = BlocksOf(edited, $"the new item could not be placed in pipeline.yaml's layout; {manual}");
        var same = after.Children.Count == before.Children.Count + 1
            && before.Children.Select((item, i) => Canonical(item) == Canonical(after.Children[i])).All(b => b)
            && after.Children[^1] is YamlMappingNode added
            && added.Children.Count == 2
            && Canonical(added) == Canonical(new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(name), new YamlScalarNode("uses"), new YamlScalarNode(uses)));
        if (!same)
        {
            throw new GenerationException($"adding the item would change the other blocks of pipeline.yaml in its layout; {manual}");
        }
    }

    // A node's content without its position or style: two readings of one value compare equal.
    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode scalar => "s:" + scalar.Tag + ":" + scalar.Value,
        YamlSequenceNode sequence => "[" + string.Join(",", sequence.Children.Select(Canonical)) + "]",
        YamlMappingNode mapping => "{" + string.Join(",", mapping.Children.Select(p => Canonical(p.Key) + "=" + Canonical(p.Value))) + "}",
        _ => "?",
    };

    private static YamlSequenceNode BlocksOf(string text, string unparsable)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new GenerationException($"{unparsable} ({e.Start.Line}:{e.Start.Column}: {e.Message})", GenerationFailure.Refused, e);
        }

        return stream.Documents.Count == 1
            && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("blocks"), out var blocks)
            && blocks is YamlSequenceNode sequence
                ? sequence
                : throw new GenerationException("pipeline.yaml has no 'blocks:' list; fix it first (duraflow validate)");
    }
}
