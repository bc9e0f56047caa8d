using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Connections;

/// <summary>Connections named by pipelines are checked against the selected io_config.yaml profile by ProjectValidator.</summary>
public sealed class ConnectionValidationTests : IDisposable
{
    private const string Pipeline = """
        name: loads
        blocks:
          - name: extract
            uses: sql.query
            with: { connection: warehouse, query: "select 1" }
          - name: extract_dev
            uses: sql.query
            with:
              connection: scratch
              query: select 2
          - name: chosen_at_run_time
            uses: sql.query
            with: { connection: "{{ params.source }}", query: "select 3" }
        parameters:
          source: string
        triggers:
          - blob_created: { connection: lake, container: landing }
        """;

    private const string IoConfig = """
        default:
          warehouse: { type: postgres, connection_string: "{{ secrets.warehouse_connection }}" }
          lake: { type: azure_blob, connection_string: "{{ env.LAKE_CONNECTION_STRING }}" }
        dev:
          scratch: { type: duckdb, path: scratch.duckdb }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Validate_ConnectionsOfTheSelectedProfile_AreValidWithoutTheirVariablesOrSecrets()
    {
        Write(Pipeline, IoConfig);

        var validation = ProjectValidator.Validate(_folder.Root, _folder.Root, "dev");

        Assert.True(validation.IsValid, string.Join("\n", validation.Diagnostics));
    }

    [Fact]
    public void Validate_AConnectionOnlyInAnotherProfile_IsDF020AtTheReference()
    {
        Write(Pipeline, IoConfig);

        var validation = ProjectValidator.Validate(_folder.Root, _folder.Root, "default");

        Assert.Equal(
            "pipelines/loads/pipeline.yaml:9:19: error DF020: block 'extract_dev' uses connection 'scratch', which is not in profile 'default' of io_config.yaml; connections are lake, warehouse",
            Assert.Single(validation.Diagnostics).ToString());
        Assert.False(validation.Pipelines[0].IsValid);
    }

    [Fact]
    public void Validate_UnknownConnectionsInWithAndTrigger_AreDF020WithAHint()
    {
        Write(Pipeline.Replace("connection: warehouse", "connection: warehose", StringComparison.Ordinal).Replace("connection: lake", "connection: laek", StringComparison.Ordinal), IoConfig);

        var validation = ProjectValidator.Validate(_folder.Root, _folder.Root, "dev");

        Assert.Equal(
            [
                "pipelines/loads/pipeline.yaml:5:25: error DF020: block 'extract' uses connection 'warehose', which is not in profile 'dev' of io_config.yaml; did you mean 'warehouse'? connections are lake, scratch, warehouse",
                "pipelines/loads/pipeline.yaml:17:33: error DF020: the blob_created trigger uses connection 'laek', which is not in profile 'dev' of io_config.yaml; did you mean 'lake'? connections are lake, scratch, warehouse",
            ],
            validation.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Validate_BlobTriggerOnANonBlobConnection_IsDF017()
    {
        Write(Pipeline.Replace("connection: lake", "connection: warehouse", StringComparison.Ordinal), IoConfig);

        var diagnostic = Assert.Single(ProjectValidator.Validate(_folder.Root, _folder.Root, "dev").Diagnostics);

        Assert.Equal("pipelines/loads/pipeline.yaml:17:33: error DF017: the blob_created trigger uses connection 'warehouse', which is a postgres connection (io_config.yaml:2:3); it needs an azure_blob connection", diagnostic.ToString());
    }

    [Fact]
    public void Validate_NoIoConfig_ReportsEveryReferenceAndSaysToAddTheFile()
    {
        Write(Pipeline, null);

        var validation = ProjectValidator.Validate(_folder.Root, _folder.Root, "default");

        Assert.Equal(3, validation.Diagnostics.Count);
        Assert.All(validation.Diagnostics, d => Assert.Equal("DF020", d.Code));
        Assert.EndsWith("which is not in profile 'default' of io_config.yaml; the project has no io_config.yaml; add one with the connection under 'default:'", validation.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownProfile_IsOneDF021AndNoReferenceErrors()
    {
        Write(Pipeline, IoConfig);

        var diagnostic = Assert.Single(ProjectValidator.Validate(_folder.Root, _folder.Root, "staging").Diagnostics);

        Assert.Equal("io_config.yaml: error DF021: profile 'staging' (from --profile or DURAFLOW_PROFILE) is not in io_config.yaml; profiles are default, dev", diagnostic.ToString());
    }

    [Fact]
    public void Validate_BrokenConnection_IsReportedInIoConfigOnly()
    {
        Write(Pipeline, IoConfig.Replace("path: scratch.duckdb", "file: scratch.duckdb", StringComparison.Ordinal));

        var validation = ProjectValidator.Validate(_folder.Root, _folder.Root, "dev");

        Assert.Equal(
            ["io_config.yaml:5:3: error DF010", "io_config.yaml:5:28: error DF005"],
            validation.Diagnostics.Select(d => $"{d.Location}: error {d.Code}"));
    }

    [Fact]
    public void Validate_OnePipelineOfAProject_ChecksItsConnectionsAndTheProjectFiles()
    {
        Write(Pipeline, IoConfig);
        _folder.Write("secrets.local.yaml", "nested: { a: b }\n");

        var validation = ProjectValidator.Validate(_folder.PathOf("pipelines/loads"), _folder.Root, "default");

        Assert.Equal(
            ["pipelines/loads/pipeline.yaml:9:19: error DF020", "secrets.local.yaml:1:9: error DF011"],
            validation.Diagnostics.Select(d => $"{d.Location}: error {d.Code}"));
    }

    [Fact]
    public void ProjectSettings_Secrets_AreReadAndChecked()
    {
        _folder.Write("duraflow.yaml", "secrets:\n  key_vault: https://myvault.vault.azure.net/\n  cache_ttl: 90s\n");
        var settings = DuraflowProject.Open(_folder.Root).Settings.Secrets;
        Assert.Equal((new Uri("https://myvault.vault.azure.net/"), TimeSpan.FromSeconds(90)), (settings.KeyVault, settings.CacheTtl));
        Assert.Equal((null, TimeSpan.FromMinutes(5)), (SecretSettings.Default.KeyVault, SecretSettings.Default.CacheTtl));

        _folder.Write("duraflow.yaml", "secrets:\n  key_vault: http://myvault.vault.azure.net/\n  cache_ttl: soon\n  vault: x\n");
        Assert.Equal(
            [
                "duraflow.yaml:4:3: error DF005: unknown key 'vault' in 'secrets'; allowed keys are key_vault, cache_ttl",
                "duraflow.yaml:2:14: error DF017: secrets 'key_vault' 'http://myvault.vault.azure.net/' must be the vault's https URL, such as https://myvault.vault.azure.net/",
                "duraflow.yaml:3:14: error DF006: secrets 'cache_ttl' 'soon' is not a duration; write for example 500ms, 10s, 5m, 1h, 1d or 1h30m",
            ],
            DuraflowProject.Open(_folder.Root, _folder.Root).SettingsDiagnostics.Select(d => d.ToString()));
    }

    private void Write(string pipeline, string? ioConfig)
    {
        _folder.Write("pipelines/loads/pipeline.yaml", pipeline);
        if (ioConfig is not null)
        {
            _folder.Write("io_config.yaml", ioConfig);
        }
    }
}
