using System.CommandLine;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Cli.Output;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow blocks [ID] [--json]</c>: the built-in blocks and their settings.</summary>
internal static class BlocksCommand
{
    private static readonly JsonSerializerOptions Indented = new(BlockJson.Options) { WriteIndented = true };

    public static Command Create(Terminal terminal)
    {
        var id = new Argument<string?>("ID") { Description = "Show one block's settings", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the settings schema as JSON, for tools" };
        var command = new Command("blocks", "List the built-in blocks and the settings each takes under with:") { id, json };
        command.SetAction(result => Run(terminal, result.GetValue(id), result.GetValue(json)));
        return command;
    }

    private static int Run(Terminal terminal, string? id, bool json)
    {
        var blocks = id is null
            ? BuiltInBlocks.All
            : [BuiltInBlocks.Find(id) ?? throw new UsageException(
                $"there is no built-in block '{id}'; the built-in blocks are {string.Join(", ", BuiltInBlocks.All.Select(b => b.Id))}")];
        if (json)
        {
            terminal.Line(JsonSerializer.Serialize(blocks.Select(Schema), Indented));
            return ExitCodes.Ok;
        }

        foreach (var block in blocks)
        {
            terminal.Markup($"[bold]{Terminal.Escape(block.Id)}[/]  {Terminal.Escape(block.Description)}", $"{block.Id}  {block.Description}");
            foreach (var field in block.Fields)
            {
                terminal.Line($"  {field.Name,-12} {Describe(field),-22} {field.Description}");
            }

            terminal.Line();
        }

        terminal.Line("Settings go under a block's with:, e.g. { uses: csv.read, with: { path: data/orders.csv } }. Run 'duraflow blocks ID' for one block.");
        if (id is null)
        {
            terminal.Line($"Compiled blocks (uses: class:Namespace.Type) are classes in the project's blocks/ class library, built against the SDK in {SdkDirectory()}");
        }

        return ExitCodes.Ok;
    }

    // What blocks/*.csproj gets as DuraflowSdkPath; set DURAFLOW_SDK_PATH to it to build that project by hand.
    private static string SdkDirectory() => Path.GetDirectoryName(typeof(BlockContext).Assembly.Location) is { Length: > 0 } directory
        ? directory
        : "(none: this build of duraflow is a single file and cannot build compiled blocks)";

    private static string Describe(ConfigField field)
    {
        var kind = field.Kind == ConfigKind.Choice ? string.Join("|", field.Choices ?? []) : field.Kind.ToString().ToLowerInvariant();
        return field.Required ? $"{kind}, required" : field.Default is { } value ? $"{kind} = {value}" : kind;
    }

    private static object Schema(BuiltInBlock block) => new
    {
        block.Id,
        block.Description,
        Settings = block.Fields.Select(f => new { f.Name, Kind = f.Kind.ToString().ToLowerInvariant(), f.Required, f.Default, f.Choices, f.Description }),
    };
}
