namespace Duraflow.Architecture.Tests;

/// <summary>What stays where: HTTP in the hosts, the Azure SDK in the stores and connectors that talk to Azure.</summary>
public sealed class BoundaryTests
{
    private static IReadOnlyList<string> Uses(string file, Func<string, bool> usedNamespace) =>
        [.. ProductAssemblies.Module(file).GetTypes()
            .SelectMany(t => TypeReferences.Of(t).Select(u => (From: TypeReferences.NamespaceOf(t), Used: u)))
            .Where(x => usedNamespace(TypeReferences.NamespaceOf(x.Used)))
            .Select(x => x.From)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static bool IsAzureSdk(string ns) => ns == "Azure" || ns.StartsWith("Azure.", StringComparison.Ordinal);

    [Theory]
    [InlineData("Duraflow.Blocks.dll")]
    [InlineData("Duraflow.Engine.dll")]
    public void The_libraries_know_nothing_of_HTTP_hosting(string file)
    {
        Assert.Empty(Uses(file, ns => ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)));
    }

    [Fact]
    public void In_the_engine_only_the_azure_store_and_key_vault_secrets_name_azure_sdk_types()
    {
        Assert.Equal(["Duraflow.Engine.Secrets", "Duraflow.Engine.Storage.Azure"], Uses("Duraflow.Engine.dll", IsAzureSdk));
    }

    [Fact]
    public void In_blocks_only_the_blob_connectors_name_azure_sdk_types()
    {
        Assert.Equal(["Duraflow.Blocks.BuiltIns"], Uses("Duraflow.Blocks.dll", IsAzureSdk));
    }
}
