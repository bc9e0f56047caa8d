using System.CommandLine;
using Duraflow.Api;
using Duraflow.Api.Generation;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow generate block PIPELINE --name NAME --kind script|sql --describe "…" [--dry-run] [--template]</c>: writes
/// a block with the chat model duraflow.yaml's <c>ai:</c> names, and adds it to the pipeline, only once it validates
/// (docs/ai.md); <c>--template</c> writes a commented scaffold without a model.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var command = new Command("generate", "Write pipeline code with an AI model, checked by duraflow before it is written");
        command.Subcommands.Add(Block(terminal, project, profile, store));
        return command;
    }

    private static Command Block(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store)
    {
        var pipeline = new Argument<string>("PIPELINE") { Description = "The pipeline to add the block to" };
        var name = new Option<string>("--name") { Description = "The new block's name", Required = true };
        var kind = new Option<string>("--kind") { Description = $"What the block is: {GeneratedKinds.Choices} (a C# script in blocks/, or a SQL query in sql/)", Required = true };
        var describe = new Option<string>("--describe") { Description = "What the block does, in your words", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the diff of what would be written, and write nothing" };
        var template = new Option<bool>("--template") { Description = "Write a commented scaffold that reads the pipeline's last block, without a model" };
        var command = new Command(
            "block",
            "Write a block from a description with the model duraflow.yaml's ai: names, and add it to pipeline.yaml (keeping its comments); "
            + $"it is written only once it compiles and validates, after up to {BlockGenerator.RepairRounds} rounds that send the problems back")
        {
            pipeline, name, kind, describe, dryRun, template,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var request = new GenerationRequest(
                result.GetValue(pipeline)!, result.GetValue(name)!,
                GeneratedKinds.Parse(result.GetValue(kind)) ?? throw new UsageException($"--kind '{result.GetValue(kind)}' is not a block kind; use {GeneratedKinds.Choices}"),
                result.GetValue(describe)!, result.GetValue(dryRun));
            if (request.Problem() is var (field, message))
            {
                throw new UsageException($"--{field} {message}");
            }

            var resolved = ProjectResolver.Resolve(result.GetValue(project), result.GetValue(store));
            const string AskForTemplate = ", or pass --template to write a commented scaffold without a model (docs/ai.md)";
            var scaffold = result.GetValue(template);
            try
            {
                // Before any build or store is opened: a project that cannot generate says so at once.
                BlockGeneration.CheckSettings(resolved, scaffold, AskForTemplate);
            }
            catch (GenerationException e)
            {
                throw new UsageException(e.Message);
            }

            var generator = new BlockGenerator(resolved, ProjectResolver.CompiledBlocksFor(resolved.Root, terminal), result.GetValue(profile));

            // A first Ctrl-C stops what generation waits for (the model, a build, the store); the files are written (or
            // not) in one step that it does not cut. A second one ends the process, as in any command, unless that
            // step is under way: it takes milliseconds, and cutting it could leave a file without its block.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
            {
                e.Cancel = !interrupt.IsCancellationRequested || ProjectFileWrites.Writing;
                interrupt.Cancel();
            }

            Console.CancelKeyPress += OnCancelKey;
            cancellationToken = interrupt.Token;
            try
            {
                using var engine = await RunsOf(terminal, resolved, result.GetValue(profile), cancellationToken).ConfigureAwait(false);
                var generated = await BlockGeneration.RunAsync(
                    generator, resolved, request, scaffold, AskForTemplate, engine?.Committer, terminal.Hint, cancellationToken).ConfigureAwait(false);
                if (generated.Written)
                {
                    await AuditAsync(terminal, resolved, engine, request, generated, result.GetValue(profile)).ConfigureAwait(false);
                }

                return Report(terminal, request, generated);
            }
            catch (GenerationException e)
            {
                terminal.Error(Shown(e.Message));
                terminal.Hint("nothing was written");
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                terminal.Error("interrupted; nothing was written");
                return ExitCodes.Interrupted;
            }
            finally
            {
                Console.CancelKeyPress -= OnCancelKey;
            }
        });
        return command;
    }

    // The last successful run's outputs make the prompt exact; without a store to read (none yet, or unreachable) the
    // blocks are described by their definitions, which generation can do with.
    private static async Task<DuraflowEngine?> RunsOf(Terminal terminal, DuraflowProject project, string? profile, CancellationToken cancellationToken)
    {
        if (project.Settings.Store == StoreKind.Sqlite && !File.Exists(Path.Combine(project.Root, project.Settings.StorePath)))
        {
            return null;
        }

        try
        {
            return await DuraflowEngine.OpenAsync(project, profile: profile, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreSettingsException)
        {
            terminal.Hint($"the run store cannot be read ({e.Message}); the blocks are described by their definitions only");
            return null;
        }
    }

    // A block added from the command line is in the audit log as the API's are, as cli:USER@HOST; the store is opened
    // for it when it was not for the outputs (a project that never ran).
    private static async Task AuditAsync(Terminal terminal, DuraflowProject project, DuraflowEngine? engine, GenerationRequest request, GenerationResult generated, string? profile)
    {
        try
        {
            using var opened = engine is null ? await DuraflowEngine.OpenAsync(project, profile: profile).ConfigureAwait(false) : null;
            await CliAudit.RecordAsync(
                (engine ?? opened!).Store, "block.generate", $"pipeline:{request.Pipeline}",
                new { Block = request.Name, Kind = request.Kind.ToString().ToLowerInvariant(), generated.File, generated.Attempts }).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The block is written by now; whatever stops the audit entry must not read as if it were not.
        catch (Exception e)
#pragma warning restore CA1031
        {
            terminal.Hint($"the block was written, but the audit log could not be reached ({e.Message})");
        }
    }

    private static int Report(Terminal terminal, GenerationRequest request, GenerationResult generated)
    {
        // The lines are a model's text: control characters are shown, never sent to the terminal as they are.
        foreach (var line in generated.Diff.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Line))
        {
            var color = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold"
                : line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan" : null;
            terminal.Markup(color is null ? Terminal.Escape(line) : $"[{color}]{Terminal.Escape(line)}[/]", line);
        }

        var answer = generated.Attempts == 0 ? "the scaffold" : $"answer {generated.Attempts} of at most {BlockGenerator.RepairRounds + 1}";
        if (generated.Written)
        {
            var text = $"wrote {generated.File} and added block '{request.Name}' to pipelines/{request.Pipeline}/pipeline.yaml ({answer}); review it, then duraflow run {request.Pipeline}";
            terminal.Markup($"[green]✓[/] {Terminal.Escape(text)}", text);
            return ExitCodes.Ok;
        }

        if (generated.Valid)
        {
            terminal.Line($"dry run: {answer} validates; nothing was written");
            return ExitCodes.Ok;
        }

        terminal.Error($"no answer validated after {generated.Attempts} attempts, so nothing was written; the last one's problems:");
        foreach (var problem in generated.Problems)
        {
            terminal.Hint("  " + Shown(problem));
        }

        if (generated.Code is { } code)
        {
            terminal.Hint($"its {generated.File} was:");
            terminal.Hint(Shown(code));
        }

        terminal.Hint("describe the block more precisely, or pass --template for a scaffold to finish by hand");
        return ExitCodes.Failed;
    }

    // Text that holds a model's words, line by line with its control characters shown: it cannot move the cursor,
    // recolour or hide what follows on the terminal.
    private static string Shown(string text) =>
        string.Join(Environment.NewLine, text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(Line));

    // Tabs in code are shown as the spaces they stand for, not as the code point of a control character.
    private static string Line(string line) => PrintableText.Of(line.Replace("\t", "    ", StringComparison.Ordinal));
}
