using Mono.Cecil;

namespace Duraflow.Architecture.Tests;

/// <summary>The compiled assemblies of src/, as Cecil reads them from the test's output folder.</summary>
internal static class ProductAssemblies
{
    /// <summary>The assembly files, bottom layer first (the Functions app and the command are siblings over the API).</summary>
    public static readonly string[] Files = ["Duraflow.Blocks.dll", "Duraflow.Engine.dll", "Duraflow.Durable.dll", "Duraflow.Api.dll", "Duraflow.Functions.dll", "duraflow.dll"];

    private static readonly Lazy<IReadOnlyList<ModuleDefinition>> Loaded = new(() =>
        [.. Files.Select(f => ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, f)))]);

    /// <summary>Every product module.</summary>
    public static IReadOnlyList<ModuleDefinition> Modules => Loaded.Value;

    /// <summary>The module built from <paramref name="file"/>.</summary>
    public static ModuleDefinition Module(string file) => Modules[Array.IndexOf(Files, file)];

    /// <summary>Every type of every product module, nested and compiler-generated ones included.</summary>
    public static IEnumerable<TypeDefinition> AllTypes() => Modules.SelectMany(m => m.GetTypes());
}
