using Duraflow.Engine.Projects;
using Duraflow.Engine.Runtime;

namespace Duraflow.Api.Generation;

/// <summary>
/// One generation as every host runs it (the CLI, the API route and so the MCP tool): the project's settings checked,
/// then a scaffold, or the model duraflow.yaml's <c>ai:</c> names, opened with its key and asked.
/// </summary>
internal static class BlockGeneration
{
    /// <summary>Refuses what stops a generation before any work: errors in duraflow.yaml, or no model where one is needed.</summary>
    /// <param name="project">The project.</param>
    /// <param name="template">True for a scaffold, which needs no model.</param>
    /// <param name="askForTemplate">How this host's caller asks for a scaffold instead, such as <c>, or pass --template</c>.</param>
    /// <exception cref="GenerationException">With <see cref="GenerationFailure.NotConfigured"/>.</exception>
    public static void CheckSettings(DuraflowProject project, bool template, string askForTemplate)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.SettingsDiagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList() is { Count: > 0 } errors)
        {
            throw new GenerationException($"duraflow.yaml has errors; fix them first:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}", GenerationFailure.NotConfigured);
        }

        if (!template && project.Settings.Ai is null)
        {
            throw new GenerationException(ChatModels.NotConfigured + askForTemplate, GenerationFailure.NotConfigured);
        }
    }

    /// <summary>Generates the block, or its scaffold with <paramref name="template"/>, after <see cref="CheckSettings"/>.</summary>
    /// <exception cref="GenerationException">Nothing was written; <see cref="GenerationException.Failure"/> says what stopped it.</exception>
    public static async Task<GenerationResult> RunAsync(
        BlockGenerator generator, DuraflowProject project, GenerationRequest request, bool template, string askForTemplate, RunCommitter? runs,
        Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckSettings(project, template, askForTemplate);
        if (template)
        {
            return await generator.TemplateAsync(request, runs, cancellationToken).ConfigureAwait(false);
        }

        var settings = project.Settings.Ai!;
        var key = await AiKey.ReadAsync(project, settings, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        using var model = ChatModels.Open(settings, key);
        progress?.Invoke($"asking {settings.Model} at {settings.Endpoint} for block '{request.Name}' of pipeline '{request.Pipeline}'");
        return await generator.GenerateAsync(request, model, runs, progress, cancellationToken).ConfigureAwait(false);
    }
}
