using Duraflow.Blocks.Compiled;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Projects;

/// <summary>
/// Where <c>class:</c> blocks come from for validation and for workers: a project's <c>blocks/</c> class library,
/// built (only when its files changed) and loaded on the first lookup, or a catalog that is already loaded.
/// </summary>
/// <remarks>
/// Nothing is built until a <c>class:</c> block is looked up, so commands on pipelines without compiled blocks pay
/// nothing. Safe for concurrent use: the first lookup builds and loads once, and later ones wait for it. The loaded
/// build stays for the life of the instance, even if blocks/ changes later; runs do not pin assemblies as they pin
/// script and SQL text.
/// </remarks>
internal sealed class CompiledBlocks
{
    private readonly Lazy<Loaded> _loaded;

    private CompiledBlocks(Func<Loaded> load) => _loaded = new Lazy<Loaded>(load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once the blocks were built and loaded (or failed to be).</summary>
    public bool IsLoaded => _loaded.IsValueCreated;

    /// <summary>Why the blocks could not be built or loaded: compiler errors where they are. Builds on first use.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _loaded.Value.Diagnostics;

    /// <summary>
    /// The compiled blocks of the project at <paramref name="projectRoot"/>, from <c>blocks/*.csproj</c>.
    /// </summary>
    /// <param name="projectRoot">The project folder.</param>
    /// <param name="displayRoot">Files are named relative to this folder in diagnostics; default: the current directory.</param>
    /// <param name="building">Told, with a line for the user, when a build starts (it takes seconds).</param>
    public static CompiledBlocks ForProject(string projectRoot, string? displayRoot = null, Action<string>? building = null)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        var builder = new BlocksBuilder(Path.GetFullPath(projectRoot), displayRoot, building);
        return new CompiledBlocks(() => Load(builder, displayRoot));
    }

    /// <summary>Compiled blocks from an already loaded catalog (a host with prebuilt assemblies, tests).</summary>
    public static CompiledBlocks Of(ClassBlockCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CompiledBlocks(() => new Loaded(catalog, null, []));
    }

    /// <summary>Finds the block a <c>class:</c> value names; builds and loads the blocks on first use.</summary>
    public ClassBlockLookup Find(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        var loaded = _loaded.Value;
        return loaded.Catalog?.Find(typeName) ?? loaded.Unavailable!;
    }

    private static Loaded Load(BlocksBuilder builder, string? displayRoot)
    {
        var build = builder.Build();
        var folder = $"{BlocksBuilder.FolderName}/";
        if (!build.HasProject)
        {
            return new Loaded(null, ClassBlockLookup.Failed(ClassBlockProblem.UnknownClass,
                $"the project has no {folder} class library ({folder}*.csproj), where compiled blocks live; `duraflow init` in an empty folder shows one"), []);
        }

        if (build.OutputDirectory is null)
        {
            return new Loaded(null, ClassBlockLookup.Failed(ClassBlockProblem.Unavailable,
                $"{folder} does not build; fix the errors reported for it first"), build.Diagnostics);
        }

        try
        {
            return new Loaded(ClassBlockLoader.Load(build.OutputDirectory), null, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // InvalidOperationException: a .deps.json that the dependency resolver cannot read.
            var message = $"the built blocks in {DisplayPaths.For(build.OutputDirectory, displayRoot)} cannot be loaded: {e.Message}";
            return new Loaded(null, ClassBlockLookup.Failed(ClassBlockProblem.Unavailable, message),
                [new Diagnostic(DiagnosticCodes.BlocksBuildFailed, DiagnosticSeverity.Error, new SourceLocation(DisplayPaths.For(builder.BlocksDirectory, displayRoot), 0, 0), message)]);
        }
    }

    private sealed record Loaded(ClassBlockCatalog? Catalog, ClassBlockLookup? Unavailable, IReadOnlyList<Diagnostic> Diagnostics);
}
