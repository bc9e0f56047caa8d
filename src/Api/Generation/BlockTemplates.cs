using System.Text;

namespace Duraflow.Api.Generation;

/// <summary>
/// The scaffold <c>--template</c> writes without a model: the description as comments, what the pipeline's blocks
/// output, and a body that reads the pipeline's last block and passes it on, so it validates and runs until rewritten.
/// </summary>
internal static class BlockTemplates
{
    /// <summary>The scaffold's text.</summary>
    public static string Of(GenerationRequest request, PipelineContext pipeline)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipeline);
        var sql = request.Kind == GeneratedKind.Sql;
        var comment = sql ? "--" : "//";
        var text = new StringBuilder();

        // Every line of the description stays a comment, whatever it holds: a line break must not turn into code, and
        // in SQL, whose templates are read in comments too, braces must not turn into a template.
        string Quiet(string line) => sql ? line.Replace("{", "{ ", StringComparison.Ordinal).Replace("}", " }", StringComparison.Ordinal) : line;
        foreach (var line in request.Description.ReplaceLineEndings("\n").Split('\n'))
        {
            text.Append(comment).Append(' ').AppendLine(Quiet(line.TrimEnd()));
        }

        text.Append(comment).AppendLine()
            .Append(comment).AppendLine(pipeline.LastRunId is { } run
                ? $" The pipeline's blocks, and what they output in run {run}:"
                : " The pipeline's blocks (no run has succeeded yet):");
        foreach (var block in pipeline.Blocks)
        {
            text.Append(comment).Append("   ").Append(block.Name).Append(": ").AppendLine(Quiet(OneLine(block.Output ?? $"uses {block.Uses}")));
        }

        var last = pipeline.Blocks[^1].Name;
        text.Append(comment).AppendLine();
        if (request.Kind == GeneratedKind.Script)
        {
            text.AppendLine("// Read an upstream block with Input<T>(\"name\"): a record of its columns, IEnumerable<dynamic> or Table;")
                .AppendLine("// parameters with Param<T>(\"name\"); return the output (a sequence of rows is a table). See docs/blocks.md.")
                .AppendLine("// Until then this block passes the output of the pipeline's last block on, as JSON.")
                .Append("return Input(\"").Append(last).AppendLine("\");");
        }
        else
        {
            text.AppendLine("-- Read an upstream block as blocks.NAME in double braces, a parameter as params.NAME; the query's result")
                .AppendLine("-- is the block's output table. See docs/blocks.md. Until then this block passes the last block's rows on.")
                .Append("select * from {{ blocks.").Append(last).AppendLine(" }}");
        }

        return text.ToString();
    }

    // An output description is one line already; a long one is cut to stay readable in a comment.
    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
