namespace Duraflow.Blocks.Compiled;

/// <summary>Loads the compiled blocks of a build output folder (what <c>dotnet build -o</c> wrote) into a catalog.</summary>
internal static class ClassBlockLoader
{
    /// <summary>
    /// Loads the main assemblies of <paramref name="directory"/>: each .dll with a .deps.json beside it (the built
    /// projects themselves, not the libraries copied next to them), or every .dll when there is no .deps.json.
    /// Their dependencies load on demand.
    /// </summary>
    /// <exception cref="BadImageFormatException">A main assembly is not a .NET assembly.</exception>
    public static ClassBlockCatalog Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return ClassBlockCatalog.Empty;
        }

        var mainAssemblies = Directory.EnumerateFiles(directory, "*.deps.json")
            .Select(deps => Path.Combine(directory, Path.GetFileName(deps)[..^".deps.json".Length] + ".dll"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (mainAssemblies.Count == 0)
        {
            mainAssemblies = [.. Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal)];
        }

        var context = new ClassBlockLoadContext(mainAssemblies);
        return new ClassBlockCatalog([.. mainAssemblies.Select(context.LoadFile)]);
    }
}
