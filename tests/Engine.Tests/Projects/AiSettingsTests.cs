using Duraflow.Engine.Projects;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Projects;

/// <summary>duraflow.yaml's <c>ai</c> section: the chat model that writes blocks, its key only ever a reference.</summary>
public sealed class AiSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Openai_needs_only_a_model_and_a_key_reference()
    {
        var project = Open("ai:\n  provider: openai\n  model: gpt-4.1\n  api_key: \"{{ secrets.openai_api_key }}\"\n");

        Assert.Empty(project.SettingsDiagnostics);
        var ai = project.Settings.Ai!;
        Assert.Equal(AiProvider.OpenAi, ai.Provider);
        Assert.Equal("https://api.openai.com/v1/", ai.Endpoint.AbsoluteUri);
        Assert.Equal("gpt-4.1", ai.Model);
        Assert.Equal(("secrets", "openai_api_key"), ai.ApiKey);
    }

    [Fact]
    public void Azure_openai_takes_the_resource_and_an_environment_reference()
    {
        var project = Open("ai: { provider: azure_openai, endpoint: \"https://flows.openai.azure.com\", model: blocks, api_key: \"{{env.AZURE_OPENAI_KEY}}\" }\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal(AiProvider.AzureOpenAi, project.Settings.Ai!.Provider);
        Assert.Equal("https://flows.openai.azure.com/", project.Settings.Ai.Endpoint.AbsoluteUri);
        Assert.Equal(("env", "AZURE_OPENAI_KEY"), project.Settings.Ai.ApiKey);
    }

    [Theory]
    [InlineData("https://flows.openai.azure.com/openai/v1/", "https://flows.openai.azure.com/")]
    [InlineData("https://flows.openai.azure.com/openai", "https://flows.openai.azure.com/")]
    [InlineData("https://gateway.example.com/team-a/openai/v1", "https://gateway.example.com/team-a/")]
    [InlineData("https://gateway.example.com/team-a", "https://gateway.example.com/team-a/")]
    public void An_azure_endpoint_copied_with_its_api_path_is_taken_back_to_the_resource(string endpoint, string resource)
    {
        var project = Open($"ai: {{ provider: azure_openai, endpoint: \"{endpoint}\", model: blocks, api_key: \"{{{{ env.K }}}}\" }}\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Equal(resource, project.Settings.Ai!.Endpoint.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://localhost:11434/v1")]
    [InlineData("http://127.0.0.1:8080/v1/")]
    [InlineData("http://[::1]:8080/v1")]
    public void A_model_server_on_this_machine_may_be_plain_http_and_take_no_key(string endpoint)
    {
        var project = Open($"ai:\n  provider: openai\n  endpoint: \"{endpoint}\"\n  model: llama3\n");

        Assert.Empty(project.SettingsDiagnostics);
        Assert.Null(project.Settings.Ai!.ApiKey);
        Assert.EndsWith("/v1/", project.Settings.Ai.Endpoint.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_ai_section_no_model_is_configured() => Assert.Null(Open("name: p\n").Settings.Ai);

    [Theory]
    [InlineData("  api_key: sk-abc123\n", "duraflow.yaml:4:12: error DF017: ai 'api_key' must be a reference")]
    [InlineData("  api_key: \"{{ params.key }}\"\n", "duraflow.yaml:4:12: error DF017: ai 'api_key' must be a reference")]
    [InlineData("  api_key: \"Bearer {{ secrets.key }}\"\n", "duraflow.yaml:4:12: error DF017: ai 'api_key' must be a reference")]
    [InlineData("  api_key: \"{{ secrets.a }}{{ secrets.b }}\"\n", "duraflow.yaml:4:12: error DF017: ai 'api_key' must be a reference")]
    [InlineData("  api_key: [\"{{ secrets.key }}\"]\n", "duraflow.yaml:4:12: error DF011: ai 'api_key' must be a single value, not a list")]
    [InlineData("", "duraflow.yaml:2:3: error DF010: 'ai' needs 'api_key' for a model served elsewhere than this machine")]
    [InlineData("  endpoint: http://models.example.com/v1\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:4:13: error DF017: ai 'endpoint' 'http://models.example.com/v1' must be an https:// URL")]
    [InlineData("  endpoint: \"https://user:pw@models.example.com/v1\"\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:4:13: error DF017: ai 'endpoint' 'https://user:pw@models.example.com/v1' must be an https:// URL")]
    [InlineData("  endpoint: not a url\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:4:13: error DF017: ai 'endpoint' 'not a url' must be an https:// URL")]
    [InlineData("  endpoint: file:///etc/passwd\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:4:13: error DF017: ai 'endpoint' 'file:///etc/passwd' must be an https:// URL")]
    public void A_bad_key_or_endpoint_is_a_located_error_and_configures_no_model(string extra, string error)
    {
        var project = Open($"ai:\n  provider: openai\n  model: gpt-4.1\n{extra}");

        Assert.StartsWith(error, Assert.Single(project.SettingsDiagnostics).ToString(), StringComparison.Ordinal);
        Assert.Null(project.Settings.Ai);
    }

    [Theory]
    [InlineData("ai: openai\n", "duraflow.yaml:1:5: error DF011: 'ai' must be a map of keys (provider, endpoint, model, api_key)")]
    [InlineData("ai:\n  model: gpt-4.1\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:2:3: error DF010: 'ai' needs 'provider': openai or azure_openai")]
    [InlineData("ai:\n  provider: anthropic\n  model: m\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:2:13: error DF017: ai 'provider' 'anthropic'")]
    [InlineData("ai:\n  provider: openai\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:2:3: error DF010: 'ai' needs 'model'")]
    [InlineData("ai:\n  provider: openai\n  model: \"\"\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:3:10: error DF017: ai 'model' must be a model's name of 1 to 200 characters on one line")]
    [InlineData("ai:\n  provider: openai\n  model: \"a\\nb\"\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:3:10: error DF017: ai 'model' must be a model's name of 1 to 200 characters on one line")]
    [InlineData("ai:\n  provider: openai\n  model: { name: gpt }\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:3:10: error DF011: ai 'model' must be a single value")]
    [InlineData("ai:\n  provider: azure_openai\n  model: blocks\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:2:3: error DF010: 'ai' with provider azure_openai needs 'endpoint'")]
    [InlineData("ai:\n  provider: openai\n  provider: azure_openai\n  model: m\n  api_key: \"{{ env.K }}\"\n", "duraflow.yaml:3:3: error DF014: ")]
    public void A_section_of_the_wrong_shape_is_a_located_error(string yaml, string error)
    {
        var project = Open(yaml);

        Assert.StartsWith(error, Assert.Single(project.SettingsDiagnostics).ToString(), StringComparison.Ordinal);
        Assert.Null(project.Settings.Ai);
    }

    [Fact]
    public void An_unknown_key_is_a_located_error()
    {
        var project = Open("ai:\n  provider: openai\n  model: m\n  temperature: 0.2\n  api_key: \"{{ env.K }}\"\n");

        Assert.StartsWith("duraflow.yaml:4:3: error DF005: unknown key 'temperature' in 'ai'", Assert.Single(project.SettingsDiagnostics).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_name_longer_than_200_characters_is_refused()
    {
        var project = Open($"ai:\n  provider: openai\n  model: {new string('m', 201)}\n  api_key: \"{{{{ env.K }}}}\"\n");

        Assert.Contains("1 to 200 characters", Assert.Single(project.SettingsDiagnostics).Message, StringComparison.Ordinal);
    }

    private DuraflowProject Open(string yaml)
    {
        var root = _folder.PathOf(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "duraflow.yaml"), yaml);
        return DuraflowProject.Open(root, root);
    }
}
