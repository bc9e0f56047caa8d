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

    // Event Grid's event types: Azure.Messaging.EventGrid (EventGridEvent, the system event data) and Azure.Messaging,
    // where Azure.Core keeps CloudEvent. Reading an event is parsing, not talking to Azure, so the blob trigger may.
    private static bool IsEventGrid(string ns) =>
        ns == "Azure.Messaging" || ns == "Azure.Messaging.EventGrid" || ns.StartsWith("Azure.Messaging.EventGrid.", StringComparison.Ordinal);

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
        Assert.Equal(["Duraflow.Engine.Secrets", "Duraflow.Engine.Storage.Azure"], Uses("Duraflow.Engine.dll", ns => IsAzureSdk(ns) && !IsEventGrid(ns)));
    }

    // Event Grid payloads are read with Azure.Messaging.EventGrid in one place, the blob trigger, so the hosts hand it
    // text and get BlobCreatedEvent back, and there is one reader of both schemas, not one per host.
    [Theory]
    [InlineData("Duraflow.Blocks.dll")]
    [InlineData("Duraflow.Engine.dll", "Duraflow.Engine.Triggers.BlobEvents")]
    [InlineData("Duraflow.Functions.dll")]
    [InlineData("duraflow.dll")]
    public void Only_the_blob_trigger_reads_event_grid_types(string file, params string[] allowed)
    {
        Assert.Equal(allowed, Uses(file, IsEventGrid));
    }

    [Fact]
    public void In_blocks_only_the_blob_connectors_name_azure_sdk_types()
    {
        Assert.Equal(["Duraflow.Blocks.BuiltIns"], Uses("Duraflow.Blocks.dll", IsAzureSdk));
    }
}
