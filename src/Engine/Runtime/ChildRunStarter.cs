using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// Starts the child run of a block that runs another pipeline of the project (<c>uses: pipeline:NAME</c>): the child
/// pipeline validated from its files as for any new run, its parameters resolved, and the run started through
/// <see cref="RunStarter"/> on the parent's runtime, once per attempt (the attempt is the idempotency key, so a
/// redelivered attempt finds the child it started).
/// </summary>
internal sealed class ChildRunStarter(RunCommitter committer)
{
    /// <summary>Opens the durable runtime of this process, for the children of durable runs; null where none runs.</summary>
    public Func<CancellationToken, Task<IRunRuntime>>? Durable { get; set; }

    /// <summary>Starts (or finds) the child run and returns its id.</summary>
    /// <exception cref="NonRetryableBlockException">The child pipeline does not validate, or its parameters do not resolve.</exception>
    public async Task<string> StartAsync(
        string pipeline, IReadOnlyDictionary<string, JsonElement> parameters, ParentRun parent, string? runtime, CancellationToken cancellationToken)
    {
        var file = Path.Combine(committer.Options.ProjectRoot, "pipelines", pipeline, Projects.DuraflowProject.PipelineFileName);
        var validated = ProjectValidator.Validate(file).Pipelines.SingleOrDefault(p => p.Definition?.Name == pipeline);
        if (validated is not { IsValid: true, Definition: { } definition })
        {
            var first = validated?.Diagnostics.FirstOrDefault(d => d.IsError)?.ToString() ?? $"pipelines/{pipeline}/pipeline.yaml is missing";
            throw new NonRetryableBlockException($"pipeline {pipeline} cannot run: {first}");
        }

        var resolution = RunParameters.Resolve(definition, parameters.ToDictionary(p => p.Key, p => ParameterInput.FromJson(p.Value), StringComparer.Ordinal));
        if (resolution.Parameters is not { } resolved)
        {
            throw new NonRetryableBlockException($"pipeline {pipeline}'s parameters: {string.Join("; ", resolution.Problems.Select(p => p.Kind == ParameterProblemKind.Missing ? $"{p.Name} is required; set it in with.parameters" : $"{p.Name}: {p.Detail}"))}");
        }

        IRunRuntime target = runtime is null
            ? new DuraflowRuntime(committer)
            : Durable is { } open
                ? await open(cancellationToken).ConfigureAwait(false)
                : throw new NonRetryableBlockException($"this process runs no {runtime} runtime to start the child pipeline {pipeline} on");
        var request = new RunRequest(validated, resolved, RunTrigger.Child(parent)) { IdempotencyKey = $"child/{parent.RunId}/{parent.Round}/{parent.Key}/{parent.Attempt}" };
        return (await new RunStarter(target, committer.Time).StartAsync(request, cancellationToken).ConfigureAwait(false)).RunId;
    }
}
