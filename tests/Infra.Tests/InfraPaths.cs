using Duraflow.Tests;

namespace Duraflow.Infra.Tests;

/// <summary>The infra folder, and what the build compiled from it.</summary>
internal static class InfraPaths
{
    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "infra");

    /// <summary>main.bicep compiled to ARM JSON by the build (Infra.Tests.csproj, target CompileInfra).</summary>
    public static string CompiledMain { get; } = Path.Combine(AppContext.BaseDirectory, "infra", "main.json");

    public static IEnumerable<string> BicepFiles() => Directory.EnumerateFiles(Folder, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
