using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>
/// <see cref="DuraflowEngine"/> opening the store duraflow.yaml selects. Each test names its own environment variable
/// for the account and its own prefix, so tests running at once never share tables, queues or settings.
/// </summary>
public sealed class DuraflowEngineStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _setting = "DURAFLOW_TEST_STORE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_setting, null);
        _folder.Dispose();
    }

    [Fact]
    public async Task OpenAsync_with_store_type_azure_runs_in_the_account_with_outputs_in_its_container()
    {
        Environment.SetEnvironmentVariable(_setting, Services.Azurite);
        var project = Project($"store:\n  type: azure\n  connection: {_setting}\n  prefix: {_prefix}\n");
        var plan = RunPlanner.Plan(PipelineValidator.Validate(_folder.PathOf("pipelines/p/pipeline.yaml")));

        using var local = await DuraflowEngine.OpenAsync(project);
        var store = Assert.IsType<AzureStore>(local.Committer.Store);
        try
        {
            var runId = await local.Committer.StartRunAsync(plan, new Dictionary<string, JsonElement>(), "test");
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var state = await local.RunUntilFinishedAsync(runId, null, limit.Token);

            Assert.Equal(RunStatus.Succeeded, state.Status);
            Assert.Equal(_prefix, store.Options.Prefix);
            Assert.Equal($"azure '{_prefix}' in {_setting}", local.StoreDescription);
            var artifacts = Assert.IsType<BlobArtifactStore>(local.Committer.Artifacts);
            Assert.Equal(_folder.PathOf(Path.Combine(".duraflow", "scratch")), artifacts.ScratchDirectory);
            var output = await new BlobContainerClient(Services.Azurite, _prefix).GetBlobClient(state.Block("answer").Output).DownloadContentAsync();
            Assert.Equal($"\"{new string('6', 2000)}42\"", output.Value.Content.ToString());
            Assert.False(File.Exists(_folder.PathOf(".duraflow/duraflow.db")));
        }
        finally
        {
            await store.DeleteEverythingAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task OpenAsync_without_the_account_setting_names_it_and_creates_nothing()
    {
        var project = Project($"store:\n  type: azure\n  connection: {_setting}\n  prefix: {_prefix}\n");

        var error = await Assert.ThrowsAsync<StoreSettingsException>(() => DuraflowEngine.OpenAsync(project));

        Assert.Equal(
            $"the azure store reads its storage account from the environment variable {_setting} (as store 'connection' in duraflow.yaml says): "
            + $"no Azure Storage account is configured: set {_setting} to a connection string (UseDevelopmentStorage=true for Azurite), or "
            + $"{_setting}__accountName or {_setting}__blobServiceUri to sign in with a managed identity",
            error.Message);
        Assert.False(await new BlobContainerClient(Services.Azurite, _prefix).ExistsAsync());
        Assert.Empty(new TableServiceClient(Services.Azurite).Query(t => t.Name == _prefix + "runs"));
        Assert.False(Directory.Exists(_folder.PathOf(".duraflow")));
    }

    [Fact]
    public async Task OpenAsync_when_the_account_cannot_be_reached_is_unavailable_naming_the_account()
    {
        // Azurite's well-known development key, at a port where nothing listens.
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        const string endpoint = "http://127.0.0.1:9/devstoreaccount1";
        Environment.SetEnvironmentVariable(
            _setting,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint}");
        var project = Project($"store:\n  type: azure\n  connection: {_setting}\n  prefix: {_prefix}\n");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => DuraflowEngine.OpenAsync(project));

        Assert.StartsWith($"could not open the azure store '{_prefix}' in {_setting} (connection string): ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_leaves_the_azure_store_to_OpenAsync()
    {
        var project = Project($"store:\n  type: azure\n  prefix: {_prefix}\n");

        var error = Assert.Throws<InvalidOperationException>(() => DuraflowEngine.Open(project));

        Assert.Contains("DuraflowEngine.OpenAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duraflow_yaml_with_errors_opens_no_store_rather_than_falling_back_to_defaults()
    {
        var project = Project("store:\n  type: sqlite\n  path: state/runs.db\n  durability: sometimes\n");

        var error = await Assert.ThrowsAsync<StoreSettingsException>(() => DuraflowEngine.OpenAsync(project));

        Assert.StartsWith("duraflow.yaml has errors, so no store was opened; fix them first:", error.Message, StringComparison.Ordinal);
        Assert.Contains("duraflow.yaml:4:15: error DF017: store 'durability' 'sometimes' is not valid", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.PathOf("state")));
        Assert.False(Directory.Exists(_folder.PathOf(".duraflow")));
    }

    private DuraflowProject Project(string settings)
    {
        _folder.Write("duraflow.yaml", settings);
        _folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: answer, uses: \"script:blocks/answer.csx\" }\n");
        // Larger than the 1 KiB kept inline, so that the output is a blob in the store's container.
        _folder.Write("pipelines/p/blocks/answer.csx", "return new string('6', 2000) + \"42\";\n");
        return DuraflowProject.Open(_folder.Root, _folder.Root);
    }
}
