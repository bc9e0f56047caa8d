using Duraflow.Blocks;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Projects;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Connections;

/// <summary>
/// The connections workers read: one version of io_config.yaml, secrets.local.yaml and duraflow.yaml at a time,
/// read again when one of them changes, so a long-lived server or worker uses an edit without a restart.
/// </summary>
public sealed class ReloadingConnectionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ReloadingConnectionsTests()
    {
        _folder.Write("io_config.yaml", "default:\n  api: { type: http, base_url: \"https://first.example\" }\n");
        _folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:a.csx\" }\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Current_AfterAnEdit_IsTheNewVersion_WhileAVersionTakenBeforeKeepsItsValues()
    {
        var connections = Open();
        var before = connections.Current();

        _folder.Write("io_config.yaml", "default:\n  api: { type: http, base_url: \"https://second.example/v2\" }\n");
        var after = connections.Current();

        Assert.Equal("https://first.example", await BaseUrlAsync(before));
        Assert.Equal("https://second.example/v2", await BaseUrlAsync(after));
    }

    [Fact]
    public void Current_UnchangedFiles_OrAnEditedPipeline_IsTheSameVersion()
    {
        var connections = Open();
        var first = connections.Current();

        _folder.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: b, uses: \"script:b.csx\" }\n");

        Assert.Same(first, connections.Current());
    }

    [Fact]
    public async Task Current_AfterABrokenEdit_FailsLookupsWithoutRetries_AndAFixIsUsedAtOnce()
    {
        var connections = Open();

        _folder.Write("io_config.yaml", "default:\n  api: { type: http }\n");
        var broken = connections.Current();
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => BaseUrlAsync(broken));
        var secretError = await Assert.ThrowsAsync<NonRetryableBlockException>(() => ((ISecrets)broken).GetAsync("token", CancellationToken.None));
        _folder.Write("io_config.yaml", "default:\n  api: { type: http, base_url: \"https://fixed.example\" }\n");

        Assert.Contains("connection 'api' cannot be looked up", error.Message, StringComparison.Ordinal);
        Assert.Contains("io_config.yaml:2:3: error DF010", error.Message, StringComparison.Ordinal);
        Assert.Contains("then retry the run", error.Message, StringComparison.Ordinal);
        Assert.Contains("secret 'token' cannot be looked up", secretError.Message, StringComparison.Ordinal);
        Assert.Equal("https://fixed.example", await BaseUrlAsync(connections.Current()));
    }

    [Fact]
    public async Task Current_AfterSecretsLocalYamlChanges_ReadsTheNewSecret_AndStillMasksTheOldOne()
    {
        _folder.Write("secrets.local.yaml", "token: first-secret-value\n");
        var connections = Open();
        Assert.Equal("first-secret-value", await ((ISecrets)connections.Current()).GetAsync("token", CancellationToken.None));

        _folder.Write("secrets.local.yaml", "token: second-secret-value-longer\n");

        Assert.Equal("second-secret-value-longer", await ((ISecrets)connections.Current()).GetAsync("token", CancellationToken.None));
        Assert.Equal("*** then ***", connections.Redactor.Redact("first-secret-value then second-secret-value-longer"));
    }

    [Fact]
    public void Open_BrokenIoConfig_ThrowsAsBefore_SoAHostStartingOnItSaysSoAtOnce()
    {
        _folder.Write("io_config.yaml", "default:\n  api: { type: http }\n");

        var error = Assert.Throws<IoConfigException>(Open);

        Assert.Contains("io_config.yaml:2:3: error DF010", error.Message, StringComparison.Ordinal);
    }

    private ReloadingConnections Open() => ReloadingConnections.Open(DuraflowProject.Open(_folder.Root), new ProjectConnectionsOptions { Profile = "default" });

    private static async Task<string?> BaseUrlAsync(IConnections connections) =>
        (await connections.GetAsync("api", CancellationToken.None)).Setting("base_url");
}
