using Duraflow.Blocks;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Secrets;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Secrets;

public class SecretProviderTests
{
    [Theory]
    [InlineData("warehouse_connection", "DURAFLOW_SECRET_WAREHOUSE_CONNECTION", "warehouse-connection")]
    [InlineData("apiToken2", "DURAFLOW_SECRET_APITOKEN2", "apiToken2")]
    [InlineData("with-dash", "DURAFLOW_SECRET_WITH_DASH", "with-dash")]
    [InlineData("dotted.name", "DURAFLOW_SECRET_DOTTED_NAME", null)]
    public void SecretNames_MapToEachProvidersRules(string name, string variable, string? keyVaultName)
    {
        Assert.Equal(variable, SecretNames.EnvironmentVariable(name));
        Assert.Equal(keyVaultName, SecretNames.KeyVaultName(name));
    }

    [Fact]
    public async Task EnvironmentSecrets_ReadTheMappedVariable_AndTreatEmptyAsUnset()
    {
        var variables = new Dictionary<string, string> { ["DURAFLOW_SECRET_WAREHOUSE_CONNECTION"] = "Host=db", ["DURAFLOW_SECRET_EMPTY"] = "" };
        var provider = new EnvironmentSecrets(variables.GetValueOrDefault);

        Assert.Equal("Host=db", await provider.FindAsync("warehouse_connection", CancellationToken.None));
        Assert.Null(await provider.FindAsync("empty", CancellationToken.None));
        Assert.Null(await provider.FindAsync("other", CancellationToken.None));
        Assert.Equal("environment variable DURAFLOW_SECRET_OTHER", provider.Where("other"));
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/warehouse-connection/)")]
    [InlineData("@microsoft.keyvault(VaultName=kv-demo;SecretName=warehouse-connection)")]
    public async Task EnvironmentSecrets_UnresolvedKeyVaultReference_FailsNamingTheVariableAndTheFix(string reference)
    {
        var variables = new Dictionary<string, string> { ["DURAFLOW_SECRET_WAREHOUSE_CONNECTION"] = reference };
        var provider = new EnvironmentSecrets(variables.GetValueOrDefault);

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.FindAsync("warehouse_connection", CancellationToken.None));

        Assert.StartsWith("environment variable DURAFLOW_SECRET_WAREHOUSE_CONNECTION holds a Key Vault reference that the platform did not resolve", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Key Vault Secrets User' role", error.Message, StringComparison.Ordinal);
        Assert.Contains("keyVaultReferenceIdentity", error.Message, StringComparison.Ordinal);
        Assert.Contains("secret name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-demo", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("warehouse-connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalFileSecrets_ReadAFlatMap()
    {
        using var folder = new TempFolder();
        folder.Write("secrets.local.yaml", "warehouse_connection: \"Host=localhost;Password=dev\"\nport: 5432\n");
        var provider = new LocalFileSecrets(folder.Root);

        Assert.Equal("Host=localhost;Password=dev", await provider.FindAsync("warehouse_connection", CancellationToken.None));
        Assert.Equal("5432", await provider.FindAsync("port", CancellationToken.None));
        Assert.Null(await provider.FindAsync("other", CancellationToken.None));
        Assert.Equal("secrets.local.yaml (no key 'other')", provider.Where("other"));
    }

    [Fact]
    public async Task LocalFileSecrets_NoFile_HasNothing()
    {
        using var folder = new TempFolder();
        var provider = new LocalFileSecrets(folder.Root);

        Assert.Null(await provider.FindAsync("any", CancellationToken.None));
        Assert.Equal("secrets.local.yaml (no such file)", provider.Where("any"));
    }

    [Fact]
    public async Task LocalFileSecrets_BrokenFile_FailsLookupsWithTheLocatedProblemButNoValue()
    {
        using var folder = new TempFolder();
        folder.Write("secrets.local.yaml", "good: do-not-print-me\nnested:\n  inner: do-not-print-me-either\n");
        var provider = new LocalFileSecrets(folder.Root);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => provider.FindAsync("good", CancellationToken.None));

        Assert.Contains("secrets.local.yaml:3:3: error DF011: secret 'nested' must be a single value (in quotes when it has special characters), not a map", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalFileSecrets_Read_ReportsEveryProblemAtItsPlace()
    {
        using var folder = new TempFolder();
        var path = folder.Write("secrets.local.yaml", "a: [1, 2]\nb:\nc: fine\n");
        var diagnostics = new DiagnosticBag();

        var values = LocalFileSecrets.Read(path, "secrets.local.yaml", diagnostics);

        Assert.Equal(["c"], values.Keys);
        Assert.Equal(
            ["secrets.local.yaml:1:4: error DF011", "secrets.local.yaml:2:3: error DF011"],
            diagnostics.Items.Select(d => d.ToString()[..d.ToString().IndexOf(": secret", StringComparison.Ordinal)]));
    }
}
