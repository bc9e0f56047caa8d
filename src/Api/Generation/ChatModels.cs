using System.ClientModel;
using System.ClientModel.Primitives;
using Duraflow.Engine.Projects;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Duraflow.Api.Generation;

/// <summary>Opens the chat model duraflow.yaml's <c>ai:</c> names, behind Microsoft.Extensions.AI's <see cref="IChatClient"/>.</summary>
internal static class ChatModels
{
    /// <summary>What to do when duraflow.yaml names no model; each caller adds how to ask for a scaffold instead.</summary>
    public const string NotConfigured =
        "no chat model is configured; add one to duraflow.yaml, such as ai: { provider: openai, model: gpt-4.1, api_key: \"{{ secrets.openai_api_key }}\" } "
        + "(or provider: azure_openai with endpoint: https://NAME.openai.azure.com and the deployment as model)";

    // A model writing a block answers within a minute or two; longer means it is stuck, and the user waits on it.
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The chat client for <paramref name="settings"/>, authenticated with <paramref name="apiKey"/> (null for a server that takes none).</summary>
    public static IChatClient Open(AiSettings settings, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new OpenAIClientOptions
        {
            // Azure OpenAI's v1 API (GA since August 2025, learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle)
            // speaks OpenAI's protocol at /openai/v1/ with no api-version, the deployment named as the model.
            Endpoint = settings.Provider == AiProvider.AzureOpenAi ? new Uri(settings.Endpoint, "openai/v1/") : settings.Endpoint,
            NetworkTimeout = NetworkTimeout,
            UserAgentApplicationId = "duraflow",
        };
        if (settings.Provider == AiProvider.AzureOpenAi && apiKey is not null)
        {
            // Azure OpenAI's own header for a resource key, beside the bearer token the OpenAI client sends.
            options.AddPolicy(new HeaderPolicy("api-key", apiKey), PipelinePosition.PerCall);
        }

        // The client needs a credential; a local server that checks none ignores this placeholder.
        var client = new OpenAIClient(new ApiKeyCredential(apiKey ?? "none"), options);
        return client.GetChatClient(settings.Model).AsIChatClient();
    }

    private sealed class HeaderPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
