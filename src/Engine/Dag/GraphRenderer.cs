using System.Text;
using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Dag;

/// <summary>Renders a pipeline graph as text, Mermaid or DOT. Output is deterministic: the same graph gives the same text.</summary>
internal static class GraphRenderer
{
    /// <summary>Renders <paramref name="graph"/> of pipeline <paramref name="pipelineName"/>.</summary>
    public static string Render(string pipelineName, PipelineGraph graph, GraphFormat format)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return format switch
        {
            GraphFormat.Mermaid => Mermaid(graph),
            GraphFormat.Dot => Dot(pipelineName, graph),
            _ => Text(pipelineName, graph),
        };
    }

    /// <summary>The annotations shown beside a block: fan-out, condition.</summary>
    public static string Marks(BlockDefinition block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var marks = new List<string>();
        if (block.FanOut)
        {
            marks.Add("fan_out");
        }

        if (block.When is not null)
        {
            marks.Add($"when {block.When}");
        }

        return string.Join(", ", marks);
    }

    private static string Text(string pipelineName, PipelineGraph graph)
    {
        var text = new StringBuilder();
        text.Append(pipelineName).Append(": ").Append(graph.Blocks.Count).Append(graph.Blocks.Count == 1 ? " block" : " blocks")
            .Append(", ").Append(graph.LevelCount).Append(graph.LevelCount == 1 ? " level" : " levels").Append('\n');
        var width = graph.Blocks.Max(b => b.Name.Length);
        var usesWidth = graph.Blocks.Max(b => b.Uses.ToString().Length);
        var levels = graph.Levels();
        for (var level = 0; level < levels.Count; level++)
        {
            text.Append("level ").Append(level).Append('\n');
            foreach (var block in levels[level])
            {
                var line = new StringBuilder("  ").Append(block.Name.PadRight(width)).Append("  ").Append(block.Uses.ToString().PadRight(usesWidth));
                var upstream = graph.Upstream(block.Name);
                if (upstream.Count > 0)
                {
                    line.Append("  <- ").AppendJoin(", ", upstream.Select(u => u.Name));
                }

                var marks = Marks(block);
                if (marks.Length > 0)
                {
                    line.Append("  [").Append(marks).Append(']');
                }

                text.Append(line.ToString().TrimEnd()).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Mermaid(PipelineGraph graph)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var block in graph.TopologicalOrder)
        {
            var label = MermaidLabel($"{block.Name}<br/>{block.Uses}");

            // Shapes carry meaning: a fan-out block is a subroutine box, a conditional block a hexagon.
            var (open, close) = block.FanOut ? ("[[", "]]") : block.When is not null ? ("{{", "}}") : ("[", "]");
            text.Append("  ").Append(MermaidId(block.Name)).Append(open).Append('"').Append(label).Append('"').Append(close).Append('\n');
        }

        foreach (var block in graph.TopologicalOrder)
        {
            foreach (var upstream in graph.Upstream(block.Name))
            {
                text.Append("  ").Append(MermaidId(upstream.Name)).Append(" --> ").Append(MermaidId(block.Name)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Dot(string pipelineName, PipelineGraph graph)
    {
        var text = new StringBuilder();
        text.Append("digraph ").Append(DotString(pipelineName)).Append(" {\n  rankdir=LR;\n  node [shape=box];\n");
        foreach (var block in graph.TopologicalOrder)
        {
            var shape = block.FanOut ? ", shape=box3d" : block.When is not null ? ", shape=hexagon" : string.Empty;
            text.Append("  ").Append(DotString(block.Name)).Append(" [label=").Append(DotString($"{block.Name}\n{block.Uses}")).Append(shape).Append("];\n");
        }

        foreach (var block in graph.TopologicalOrder)
        {
            foreach (var upstream in graph.Upstream(block.Name))
            {
                text.Append("  ").Append(DotString(upstream.Name)).Append(" -> ").Append(DotString(block.Name)).Append(";\n");
            }
        }

        return text.Append("}\n").ToString();
    }

    // Ids are prefixed because a bare block name can be a Mermaid keyword ("end") and break the chart; labels show the name.
    private static string MermaidId(string name) => "b_" + name;

    private static string MermaidLabel(string label) => label.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string DotString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
