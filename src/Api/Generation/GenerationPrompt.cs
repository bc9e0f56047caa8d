using System.Text;
using Microsoft.Extensions.AI;

namespace Duraflow.Api.Generation;

/// <summary>
/// The conversation with the model: a system message with the block API of the kind asked for (the sections of
/// docs/blocks.md built into this version), a user message with the pipeline and the block wanted, and after each
/// answer that does not validate, the problems Duraflow found.
/// </summary>
internal static class GenerationPrompt
{
    // Enough of a block's file to see its shape; a longer one is cut, not left out.
    private const int MaxFileChars = 6_000;
    private const int MaxDefinitionChars = 20_000;

    /// <summary>The opening messages.</summary>
    public static List<ChatMessage> Start(GenerationRequest request, PipelineContext pipeline)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipeline);
        return
        [
            new ChatMessage(ChatRole.System, System(request.Kind)),
            new ChatMessage(ChatRole.User, Ask(request, pipeline)),
        ];
    }

    /// <summary>The message that sends the problems of the last answer back.</summary>
    public static ChatMessage Repair(GeneratedKind kind, IReadOnlyList<string> problems) => new(
        ChatRole.User,
        new StringBuilder()
            .AppendLine("Duraflow checked your file and it does not validate:")
            .AppendLine()
            .AppendJoin(Environment.NewLine, problems.Select(p => "- " + p)).AppendLine()
            .AppendLine()
            .Append("Fix every problem and answer again with the whole corrected file in one ```").Append(GeneratedKinds.Fence(kind)).Append(" code block.")
            .ToString());

    private static string System(GeneratedKind kind)
    {
        var api = kind == GeneratedKind.Script
            ? EmbeddedDocs.Section("blocks.md", "## What travels between blocks", "## SQL blocks")
            : EmbeddedDocs.Section("blocks.md", "## What travels between blocks", "## C# script blocks")
                + EmbeddedDocs.Section("blocks.md", "## SQL blocks", "### In a database");
        var rules = kind == GeneratedKind.Script
            ? """
              - Write one C# script (.csx) file: top-level statements that end in `return` with the block's output.
              - Read upstream outputs only with Input<T>("name") or Input("name"), the name a literal of a block listed below.
              - Read parameters only with Param<T>("name"), the name one the pipeline declares.
              - Declare a record for the rows you read, with the columns' names in PascalCase and matching C# types.
              - No #load, no #r, no files, processes or network unless the description asks for them.
              """
            : """
              - Write one SQL query for DuckDB (the embedded engine) over upstream outputs: its result is the block's output table.
              - Read upstream outputs only as {{ blocks.NAME }}, NAME a block listed below; parameters only as {{ params.NAME }}.
              - Use only the columns the upstream outputs have.
              """;
        return $"""
            You write one block of a Duraflow data pipeline. Duraflow compiles and validates your file; when it does not
            validate you are told why and asked again.

            Rules:
            {rules}
            - Start the file with a comment line saying what the block does.
            - Answer with the whole file in one ```{GeneratedKinds.Fence(kind)} fenced code block and nothing else.

            The block API, from Duraflow's documentation:

            {api}
            """;
    }

    private static string Ask(GenerationRequest request, PipelineContext pipeline)
    {
        var text = new StringBuilder()
            .Append("Pipeline '").Append(pipeline.Pipeline).AppendLine("'. Its pipeline.yaml:")
            .AppendLine("```yaml").AppendLine(Cut(pipeline.Definition, MaxDefinitionChars)).AppendLine("```")
            .AppendLine()
            .AppendLine(pipeline.LastRunId is { } run
                ? $"Its blocks, with what each output in run {run}, its last successful run:"
                : "Its blocks (it has no successful run yet, so their outputs are known only from their definitions):");
        foreach (var block in pipeline.Blocks)
        {
            text.AppendLine().Append("### ").Append(block.Name).Append(" (uses ").Append(block.Uses).Append(')');
            if (block.Upstream.Count > 0)
            {
                text.Append(", reads ").AppendJoin(", ", block.Upstream);
            }

            text.AppendLine().Append("Output: ").AppendLine(block.Output ?? "not known from a run; infer it from the block's definition");
            if (block.File is { } file)
            {
                text.AppendLine("```").AppendLine(Cut(file, MaxFileChars)).AppendLine("```");
            }
        }

        return text
            .AppendLine()
            .Append("Write block '").Append(request.Name).Append("', the file ").Append(GeneratedKinds.FileOf(request.Kind, request.Name))
            .AppendLine(" of the pipeline folder. It does this:")
            .AppendLine(request.Description)
            .ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + Environment.NewLine + "… (cut)";
}
