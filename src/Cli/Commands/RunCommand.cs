using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Workers;

namespace Duraflow.Cli.Commands;

/// <summary><c>duraflow run PIPELINE [--param k=v]... [--json]</c>: runs a pipeline to its end on this machine.</summary>
internal static class RunCommand
{
    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> profile, Option<string?> store, Option<string?> runtime)
    {
        var pipeline = new Argument<string>("PIPELINE") { Description = "A pipeline name in the project, or a path to its folder or pipeline.yaml" };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter value as NAME=VALUE; repeat for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the finished run as JSON (as runs show --json) instead of the progress view" };
        var command = new Command("run", "Run a pipeline to its end, with live progress; exit 0 when it succeeds, 1 when it fails") { pipeline, parameters, json, runtime };
        command.SetAction((result, _) => RunAsync(
            terminal, result.GetValue(pipeline)!, result.GetValue(parameters) ?? [], result.GetValue(json), result.GetValue(project), result.GetValue(profile),
            result.GetValue(store), result.GetValue(runtime)));
        return command;
    }

    private static async Task<int> RunAsync(
        Terminal terminal, string pipeline, string[] parameterTexts, bool json, string? projectOption, string? profile, string? storeOption, string? runtimeOption)
    {
        var file = ProjectResolver.PipelineFile(pipeline, projectOption);
        var project = ProjectResolver.ProjectOf(file, projectOption, storeOption);

        // The cache folder hands what compiled to the workers, which load it instead of compiling again.
        var check = PipelineCheck.Run(terminal, file, project, profile, json);
        if (check.Pipeline is not { } validated)
        {
            return ExitCodes.Usage;
        }

        var resolution = RunParameters.Resolve(validated.Definition!, ParseParameters(parameterTexts));
        if (resolution.Parameters is not { } parameters)
        {
            throw new UsageException(string.Join(Environment.NewLine, resolution.Problems.Select(p => p.ForCommandLine())));
        }

        await using var local = await RunHost.OpenAsync(
            project, runtimeOption, p => DuraflowEngine.OpenAsync(p, new DefaultBlockExecutor(check.Scripts, check.Classes), profile: profile)).ConfigureAwait(false);
        var started = await (await local.Router.StarterAsync(CancellationToken.None).ConfigureAwait(false)).StartAsync(new RunRequest(validated, parameters, RunTrigger.ByHand(RunTrigger.Cli))).ConfigureAwait(false);
        await CliAudit.RecordAsync(
            local.Engine.Store, "run.start", $"pipeline:{validated.Definition!.Name}", new { Parameters = parameters.Values, RunId = started.RunId },
            validated.Definition.Parameters.Where(p => !p.Secret).Select(p => p.Name).ToHashSet(StringComparer.Ordinal)).ConfigureAwait(false);
        return await RunSession.FollowAsync(terminal, local, started.RunId, json, storeOption).ConfigureAwait(false);
    }

    /// <summary>The --param NAME=VALUE options as parameter inputs; a malformed or repeated one is a usage error.</summary>
    internal static Dictionary<string, ParameterInput> ParseParameters(string[] texts)
    {
        var values = new Dictionary<string, ParameterInput>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--param '{text}': write it as NAME=VALUE, for example --param day=2026-11-24");
            }

            var name = text[..equals];
            if (!values.TryAdd(name, ParameterInput.FromText(text[(equals + 1)..])))
            {
                throw new UsageException($"--param {name} is given twice; give each parameter once");
            }
        }

        return values;
    }
}
