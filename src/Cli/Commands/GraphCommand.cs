using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Dag;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Validation;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow graph PIPELINE [--format text|mermaid|dot]</c>: shows the block dependency graph.</summary>
internal static class GraphCommand
{
    public static Command Create(Terminal terminal, Option<string?> project)
    {
        var pipeline = new Argument<string>("PIPELINE") { Description = "A pipeline name in the project, or a path to its folder or pipeline.yaml" };
        var format = new Option<GraphFormat>("--format", "-f")
        {
            Description = "text (levels and blocks), mermaid (for Markdown) or dot (Graphviz)",
            DefaultValueFactory = _ => GraphFormat.Text,
        };
        var command = new Command("graph", "Show the dependency graph of a pipeline's blocks") { pipeline, format };
        command.SetAction(result => Run(terminal, result.GetValue(pipeline)!, result.GetValue(format), result.GetValue(project)));
        return command;
    }

    private static int Run(Terminal terminal, string pipeline, GraphFormat format, string? projectOption)
    {
        var file = ProjectResolver.PipelineFile(pipeline, projectOption);
        var validated = PipelineValidator.Validate(file, DisplayPaths.For(file), classes: ProjectResolver.CompiledBlocksFor(file, terminal));
        if (!DiagnosticSummary.Print(terminal, validated.Diagnostics) || !validated.IsValid)
        {
            return ExitCodes.Failed;
        }

        var definition = validated.Definition!;
        var graph = validated.Graph!;
        if (format == GraphFormat.Text && terminal.IsInteractive)
        {
            terminal.Markup(
                $"[bold]{Terminal.Escape(definition.Name)}[/]: {graph.Blocks.Count} blocks, {graph.LevelCount} levels",
                string.Empty);
            terminal.Table(
                ["level", "block", "uses", "upstream", "notes"],
                graph.TopologicalOrder.Select(b => (IReadOnlyList<string>)
                [
                    graph.Level(b.Name).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    b.Name,
                    b.Uses.ToString(),
                    string.Join(", ", graph.Upstream(b.Name).Select(u => u.Name)),
                    GraphRenderer.Marks(b),
                ]));
            return ExitCodes.Ok;
        }

        terminal.Raw(GraphRenderer.Render(definition.Name, graph, format));
        return ExitCodes.Ok;
    }
}
