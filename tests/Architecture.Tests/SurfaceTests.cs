namespace Duraflow.Architecture.Tests;

/// <summary>Public means "user code or another product compiles against it"; everything else is internal.</summary>
public sealed class SurfaceTests
{
    private static IEnumerable<string> PublicTypes(string file) =>
        ProductAssemblies.Module(file).Types.Where(t => t.IsPublic).Select(t => t.FullName).Order(StringComparer.Ordinal);

    [Fact]
    public void The_public_types_of_Blocks_are_the_block_sdk_and_nothing_else()
    {
        // What a user's script or compiled block compiles against. Its members are listed in
        // src/Blocks/PublicAPI.*.txt, which the build checks; adding a type here is adding to the SDK.
        Assert.Equal(
            [
                "Duraflow.Blocks.BlockContext", "Duraflow.Blocks.BlockValue", "Duraflow.Blocks.Connection", "Duraflow.Blocks.IConnections",
                "Duraflow.Blocks.ISecrets", "Duraflow.Blocks.NonRetryableBlockException", "Duraflow.Blocks.ScriptGlobals", "Duraflow.Blocks.Table",
                "Duraflow.Blocks.TableColumn",
            ],
            PublicTypes("Duraflow.Blocks.dll"));
    }

    [Fact]
    public void Engine_is_internal_and_seen_only_by_our_hosts_tests_and_benchmarks()
    {
        Assert.Empty(PublicTypes("Duraflow.Engine.dll"));
        var friends = ProductAssemblies.Module("Duraflow.Engine.dll").Assembly.CustomAttributes
            .Where(a => a.AttributeType.Name == nameof(System.Runtime.CompilerServices.InternalsVisibleToAttribute))
            .Select(a => (string)a.ConstructorArguments[0].Value).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["Duraflow.Api", "Duraflow.Api.Tests", "Duraflow.Architecture.Tests", "Duraflow.Bench", "Duraflow.ChaosWorker", "Duraflow.Cli.Tests",
             "Duraflow.Durable", "Duraflow.Durable.Tests",
             "Duraflow.Engine.Tests", "Duraflow.Functions", "Duraflow.Functions.Tests", "Duraflow.Infra.Tests", "duraflow"],
            friends);
    }

    [Fact]
    public void Durable_is_internal()
    {
        Assert.Empty(PublicTypes("Duraflow.Durable.dll"));
    }
}
