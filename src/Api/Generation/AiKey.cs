using Duraflow.Blocks;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Secrets;

namespace Duraflow.Api.Generation;

/// <summary>Reads the API key that <c>ai.api_key</c> refers to: an environment variable, or a secret from the project's secret providers.</summary>
internal static class AiKey
{
    /// <summary>The key, or null when <c>ai:</c> names none.</summary>
    /// <exception cref="GenerationException">The variable is not set or the secret is not found; the message says where it looked.</exception>
    public static async Task<string?> ReadAsync(DuraflowProject project, AiSettings settings, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ApiKey is not { } reference)
        {
            return null;
        }

        var (root, name) = reference;

        if (root == "env")
        {
            return environment(name) is { Length: > 0 } value
                ? value
                : throw new GenerationException($"ai 'api_key' reads {{{{ env.{name} }}}}, but environment variable {name} is not set; set it to the model's API key", GenerationFailure.NotConfigured);
        }

        try
        {
            return await ProjectSecrets.Open(project, environment, keyVault: null, time: null, new SecretRedactor()).GetAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NonRetryableBlockException or SecretUnavailableException)
        {
            throw new GenerationException($"ai 'api_key' reads {{{{ secrets.{name} }}}}: {e.Message}", GenerationFailure.NotConfigured, e);
        }
    }
}
