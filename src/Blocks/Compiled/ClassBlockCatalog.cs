using System.Collections.Concurrent;
using System.Reflection;
using Duraflow.Blocks.Text;

namespace Duraflow.Blocks.Compiled;

/// <summary>
/// The compiled blocks of a set of assemblies, found by the full type name a <c>class:</c> block names. Lookups are
/// cached; safe for concurrent use.
/// </summary>
internal sealed class ClassBlockCatalog
{
    // Enough names to find one's own class in a listing, few enough to read in one error line.
    private const int ListedBlocks = 10;

    private readonly ConcurrentDictionary<string, ClassBlockLookup> _lookups = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<Type>> _publicClasses;

    /// <summary>A catalog of the public classes of <paramref name="assemblies"/>.</summary>
    public ClassBlockCatalog(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        Assemblies = [.. assemblies];
        _publicClasses = new Lazy<IReadOnlyList<Type>>(() => [.. Assemblies.SelectMany(ExportedTypes).Where(t => t.IsClass)]);
    }

    /// <summary>A catalog without assemblies: every lookup fails.</summary>
    public static ClassBlockCatalog Empty { get; } = new([]);

    /// <summary>The assemblies searched, in order.</summary>
    public IReadOnlyList<Assembly> Assemblies { get; }

    /// <summary>
    /// Finds the block <paramref name="typeName"/> (<c>Namespace.Type</c>, optionally followed by
    /// <c>, AssemblyName</c>); a failed lookup names the closest class and lists the classes that are blocks.
    /// </summary>
    public ClassBlockLookup Find(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        return _lookups.GetOrAdd(typeName, Lookup);
    }

    private ClassBlockLookup Lookup(string typeName)
    {
        var comma = typeName.IndexOf(',', StringComparison.Ordinal);
        var name = (comma < 0 ? typeName : typeName[..comma]).Trim();
        var assemblyName = comma < 0 ? null : typeName[(comma + 1)..].Trim();
        var searched = Assemblies.Where(a => assemblyName is null || string.Equals(a.GetName().Name, assemblyName, StringComparison.Ordinal)).ToList();
        var type = searched.Select(a => a.GetType(name, throwOnError: false, ignoreCase: false)).FirstOrDefault(t => t is not null);
        if (type is null)
        {
            return ClassBlockLookup.Failed(ClassBlockProblem.UnknownClass, Unknown(name, assemblyName, searched));
        }

        return ClassBlock.TryCreate(type, out var error) is { } block
            ? ClassBlockLookup.Found(block)
            : ClassBlockLookup.Failed(ClassBlockProblem.NotABlock, $"class {name} {error}");
    }

    private string Unknown(string name, string? assemblyName, List<Assembly> searched)
    {
        if (Assemblies.Count == 0)
        {
            return $"there is no class {name}: no compiled blocks are loaded";
        }

        var where = searched.Count == 0
            ? $"no loaded assembly is called {assemblyName} (loaded: {string.Join(", ", Assemblies.Select(a => a.GetName().Name))})"
            : $"there is no public class {name} in {string.Join(", ", searched.Select(a => a.GetName().Name + ".dll"))}";
        var classes = _publicClasses.Value;
        var simpleName = name[(name.LastIndexOf('.') + 1)..];
        var suggestion = classes.FirstOrDefault(t => t.Name == simpleName)?.FullName
            ?? EditDistance.ClosestMatch(name, classes.Select(t => t.FullName ?? t.Name));
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        var blocks = classes.Where(t => ClassBlock.TryCreate(t, out _) is not null).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        var listing = blocks.Count switch
        {
            0 => "; no loaded class is a block yet (a public class with one public Run or RunAsync method)",
            <= ListedBlocks => $"; the blocks are {string.Join(", ", blocks)}",
            _ => $"; the blocks include {string.Join(", ", blocks.Take(ListedBlocks))}",
        };
        return where + hint + listing;
    }

    // A dependency that cannot be loaded hides the types that need it, not the whole assembly.
    private static IEnumerable<Type> ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is { IsVisible: true }).Select(t => t!);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (FileLoadException)
        {
            return [];
        }
    }
}
