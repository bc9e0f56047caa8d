using System.Reflection;
using System.Runtime.Loader;

namespace Duraflow.Blocks.Compiled;

/// <summary>
/// The load context of a project's compiled blocks. Assemblies the host has (Duraflow.Blocks above all, and the
/// framework) come from the host, so <c>BlockContext</c> and <c>Table</c> are the same types on both sides; the
/// project's own dependencies come from its build output, found through its .deps.json files.
/// </summary>
/// <remarks>
/// Assemblies are read into memory rather than mapped from their files, so a later build can replace the files
/// while this process still runs the old code. The context is not collectible: JSON metadata caches hold on to
/// the blocks' types for the life of the process anyway.
/// </remarks>
internal sealed class ClassBlockLoadContext : AssemblyLoadContext
{
    private readonly List<AssemblyDependencyResolver> _resolvers;

    public ClassBlockLoadContext(IEnumerable<string> mainAssemblies)
        : base("duraflow-class-blocks")
    {
        _resolvers = [.. mainAssemblies.Select(path => new AssemblyDependencyResolver(path))];
    }

    /// <summary>Loads an assembly of the build output, with its symbols when there are any (for file:line in stack traces).</summary>
    public Assembly LoadFile(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        var symbolsPath = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(symbolsPath))
        {
            return LoadFromStream(assembly);
        }

        using var symbols = new MemoryStream(File.ReadAllBytes(symbolsPath));
        return LoadFromStream(assembly, symbols);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (HostAssembly(assemblyName) is { } shared)
        {
            return shared;
        }

        var path = _resolvers.Select(r => r.ResolveAssemblyToPath(assemblyName)).FirstOrDefault(p => p is not null);
        return path is null ? null : LoadFile(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolvers.Select(r => r.ResolveUnmanagedDllToPath(unmanagedDllName)).FirstOrDefault(p => p is not null);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    // The host's copy wins even when the build output holds another one (a package reference the user added): two
    // copies of one assembly would make two incompatible versions of its types.
    private static Assembly? HostAssembly(AssemblyName name)
    {
        var loaded = Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null)
        {
            return loaded;
        }

        try
        {
            return Default.LoadFromAssemblyName(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
