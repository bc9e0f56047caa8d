using Duraflow.Engine.Projects;
using Duraflow.Engine.Runtime;
using Microsoft.Extensions.AI;

namespace Duraflow.Api.Generation;

/// <summary>
/// Adds a block to a pipeline: asks the model for its file, validates it in a copy of the project, and sends the
/// problems back up to <see cref="RepairRounds"/> times; only a file that validates is written, with the block added to
/// pipeline.yaml as a text edit. Or, without a model, writes a commented scaffold (<see cref="TemplateAsync"/>).
/// </summary>
/// <param name="project">The project.</param>
/// <param name="classes">Its compiled blocks, so class blocks validate as they run; null leaves them unchecked.</param>
/// <param name="profile">The io_config.yaml profile validation uses.</param>
internal sealed class BlockGenerator(DuraflowProject project, CompiledBlocks? classes, string? profile)
{
    /// <summary>How many times the problems of an answer are sent back before giving up.</summary>
    public const int RepairRounds = 3;

    /// <summary>Generates the block with <paramref name="model"/>.</summary>
    /// <param name="request">What to generate.</param>
    /// <param name="model">The chat model.</param>
    /// <param name="runs">Where the pipeline's last successful run is read, for its outputs; null to describe blocks by their definitions only.</param>
    /// <param name="progress">Told of each round.</param>
    /// <param name="cancellationToken">Stops waiting for the model.</param>
    /// <exception cref="GenerationException">The request cannot be carried out, or the model cannot be reached; nothing was written.</exception>
    public async Task<GenerationResult> GenerateAsync(
        GenerationRequest request, IChatClient model, RunCommitter? runs, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var target = await TargetAsync(request, runs, cancellationToken).ConfigureAwait(false);
        var messages = GenerationPrompt.Start(request, target.Context);
        string? code = null;
        IReadOnlyList<string> problems = [];
        for (var attempt = 1; attempt <= RepairRounds + 1; attempt++)
        {
            var answer = await AskAsync(model, messages, cancellationToken).ConfigureAwait(false);
            messages.Add(new ChatMessage(ChatRole.Assistant, answer));
            var (extracted, unreadable) = AnswerCode.Extract(answer, request.Kind);

            // The file shown with the problems is this answer's, or none: never an earlier answer's beside these problems.
            code = extracted;
            problems = extracted is null ? [unreadable!] : target.Check(extracted);
            if (problems.Count == 0)
            {
                return target.Finish(extracted!, attempt);
            }

            if (attempt <= RepairRounds)
            {
                progress?.Invoke($"answer {attempt} does not validate ({problems.Count} {(problems.Count == 1 ? "problem" : "problems")}); sending them back to the model");
                messages.Add(GenerationPrompt.Repair(request.Kind, problems));
            }
        }

        return new GenerationResult(false, false, target.DisplayFile, code, "", RepairRounds + 1, problems);
    }

    /// <summary>Writes a commented scaffold of the block, reading the pipeline's last block, without a model.</summary>
    /// <exception cref="GenerationException">The request cannot be carried out, or the scaffold does not validate; nothing was written.</exception>
    public async Task<GenerationResult> TemplateAsync(GenerationRequest request, RunCommitter? runs, CancellationToken cancellationToken)
    {
        using var target = await TargetAsync(request, runs, cancellationToken).ConfigureAwait(false);
        var code = BlockTemplates.Of(request, target.Context);
        var problems = target.Check(code);
        return problems.Count == 0
            ? target.Finish(code, attempt: 0)
            : throw new GenerationException($"the scaffold of block '{request.Name}' does not validate in pipeline '{request.Pipeline}':{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    private async Task<GenerationTarget> TargetAsync(GenerationRequest request, RunCommitter? runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problem() is var (field, message))
        {
            throw new GenerationException($"{field} {message}");
        }

        return await GenerationTarget.OpenAsync(project, classes, profile, request, runs, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> AskAsync(IChatClient model, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            var response = await model.GetResponseAsync(messages, new ChatOptions { Temperature = 0.2f }, cancellationToken).ConfigureAwait(false);
            return response.Text;
        }
#pragma warning disable CA1031 // Whatever the model's server sends (a refusal, a body that is no chat completion, a timeout) is its failure, not ours.
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            throw new GenerationException($"the model could not be asked, or its answer could not be read: {e.Message}", GenerationFailure.Model, e);
        }
    }
}
