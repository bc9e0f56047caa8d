using System.Reflection;
using System.Runtime.Loader;

namespace Duraflow.Blocks.Scripts;

/// <summary>Loads a compiled script from its bytes and finds the method that runs it, without the compiler.</summary>
/// <remarks>
/// Roslyn compiles a script into a class whose static <c>&lt;Factory&gt;</c> method takes the submission array
/// (the globals object, then one slot per submission; a single script has one) and returns the script's result as
/// a <c>Task&lt;object&gt;</c>. Roslyn's own runner calls the same method, so a loaded script behaves as one it
/// compiled and ran itself.
/// </remarks>
internal static class ScriptAssembly
{
    private const string FactoryName = "<Factory>";

    /// <summary>Loads <paramref name="image"/> and returns its factory.</summary>
    /// <param name="image">A DLL emitted from a script compilation.</param>
    /// <param name="name">Names the load context, for debugging.</param>
    /// <exception cref="BadImageFormatException">The bytes are not a compiled script.</exception>
    /// <exception cref="FileLoadException">The assembly cannot be loaded.</exception>
    /// <exception cref="ReflectionTypeLoadException">A type of the assembly cannot be loaded.</exception>
    public static Func<object?[], Task<object>> Load(byte[] image, string name)
    {
        // A context per script, as Roslyn does: two compilers of one process may load the same cached file, and one
        // context cannot hold two assemblies of one name. The script's references are not found in its context,
        // so they resolve in the default one, where Duraflow.Blocks is: ScriptGlobals is the engine's own type.
        var context = new AssemblyLoadContext(name);
        using var stream = new MemoryStream(image, writable: false);
        var assembly = context.LoadFromStream(stream);
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var factory = assembly.GetTypes()
            .Select(t => t.GetMethod(FactoryName, Flags, [typeof(object[])]))
            .FirstOrDefault(m => m is not null && m.ReturnType == typeof(Task<object>))
            ?? throw new BadImageFormatException($"{name} holds no compiled script: it has no {FactoryName} method");
        return factory.CreateDelegate<Func<object?[], Task<object>>>();
    }
}
