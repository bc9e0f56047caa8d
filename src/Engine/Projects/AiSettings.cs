namespace Duraflow.Engine.Projects;

/// <summary>
/// duraflow.yaml's <c>ai:</c> section: the chat model <c>duraflow generate block</c> and the MCP tool
/// <c>generate_block</c> call.
/// </summary>
internal sealed record AiSettings
{
    /// <summary>The default endpoint of <c>provider: openai</c>.</summary>
    public static readonly Uri OpenAiEndpoint = new("https://api.openai.com/v1/");

    /// <summary>Who serves the model.</summary>
    public required AiProvider Provider { get; init; }

    /// <summary>
    /// The base URL: an OpenAI-compatible server's (with its <c>/v1</c>), or the Azure OpenAI resource's
    /// (<c>https://NAME.openai.azure.com</c>).
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model's name, or the deployment's name on Azure OpenAI.</summary>
    public required string Model { get; init; }

    /// <summary>
    /// Where the API key is read: <c>secrets</c> or <c>env</c>, and the name, from <c>{{ secrets.NAME }}</c> or
    /// <c>{{ env.NAME }}</c>; null for a server that takes no key (only allowed on this machine).
    /// </summary>
    public (string Root, string Name)? ApiKey { get; init; }
}

/// <summary>The kinds of chat model endpoint <c>ai.provider</c> names.</summary>
internal enum AiProvider
{
    /// <summary><c>openai</c>: OpenAI, or any server speaking its chat completions API (a local model server, a gateway).</summary>
    OpenAi,

    /// <summary><c>azure_openai</c>: an Azure OpenAI resource, through its v1 API.</summary>
    AzureOpenAi,
}
