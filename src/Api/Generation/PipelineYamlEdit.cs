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
    /// <exception cref="GenerationException">The file's <c>blocks:</c> is not a list of blocks written one item per line.</exception>
    public static string AddBlock(string text, string name, string uses)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = BlocksOf(text);
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
        var end = LastLineOf(lines, startLine, dash);
        var item = $"{new string(' ', dash)}-{new string(' ', keyColumn - dash - 1)}name: {name}{newline}{new string(' ', keyColumn)}uses: {uses}";

        // The item goes after the last line of the last block, whose line break it takes over; what follows stays.
        var head = string.Join('\n', lines[..(end + 1)]).TrimEnd('\r');
        var tail = end + 1 < lines.Length ? string.Join('\n', lines[(end + 1)..]) : "";
        // Blocks set apart by blank lines get one before the new block too.
        var spaced = startLine > 0 && lines[startLine - 1].Trim().Length == 0 ? newline : "";
        var edited = head + newline + spaced + item + newline + tail;

        // What the engine will read must be what was meant: one more block, this one, last.
        var after = BlocksOf(edited);
        if (after.Children.Count != blocks.Children.Count + 1
            || after.Children[^1] is not YamlMappingNode added
            || !added.Children.TryGetValue(new YamlScalarNode("name"), out var written)
            || written is not YamlScalarNode { Value: var value } || value != name)
        {
            throw new GenerationException("pipeline.yaml's layout around its last block could not be followed; add the block by hand: - name: " + name + ", uses: " + uses);
        }

        return edited;
    }

    // The item goes on until a line at or left of its dash that is not blank: the next key, or a comment above it.
    private static int LastLineOf(string[] lines, int start, int dash)
    {
        var last = start;
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            if (indent <= dash || line.TrimStart().StartsWith("...", StringComparison.Ordinal) || line.TrimStart().StartsWith("---", StringComparison.Ordinal))
            {
                break;
            }

            last = i;
        }

        return last;
    }

    private static YamlSequenceNode BlocksOf(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new GenerationException($"pipeline.yaml does not parse ({e.Start.Line}:{e.Start.Column}); fix it first", e);
        }

        return stream.Documents.Count == 1
            && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("blocks"), out var blocks)
            && blocks is YamlSequenceNode sequence
                ? sequence
                : throw new GenerationException("pipeline.yaml has no 'blocks:' list; fix it first (duraflow validate)");
    }
}
