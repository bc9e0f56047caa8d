using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Duraflow.Blocks.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// Compiles C# script blocks (<c>.csx</c>) against <see cref="ScriptGlobals"/>, once per distinct code, and keeps
/// the compiled scripts in a folder so that later processes load them instead of compiling.
/// </summary>
/// <remarks>
/// Compiling is slow (most of a second for the first script in a process, while Roslyn warms up; tens of
/// milliseconds after) and every loaded script is an assembly that cannot be unloaded, so results are cached by
/// the SHA-256 of the code for the life of the compiler: a bounded cache would not free the memory, only compile
/// again. With a cache folder, a script that compiled is also written there as a DLL, named by the hash of its
/// code, this assembly, the compiler and the runtime; the next compiler over the folder (usually the next process)
/// loads that DLL and runs it as if it had compiled it. Safe for concurrent use, by threads and by processes sharing
/// the folder; threads asking for the same code at once share one compilation. Failed compilations are not cached,
/// so each caller gets errors that name its own file (a failed compilation loads nothing).
/// </remarks>
internal sealed class ScriptCompiler
{
    private static readonly ScriptOptions BaseOptions = ScriptOptions.Default
        .AddReferences(
            typeof(object).Assembly,
            typeof(Enumerable).Assembly,
            typeof(JsonElement).Assembly,
            typeof(ILogger).Assembly,
            typeof(Microsoft.CSharp.RuntimeBinder.Binder).Assembly,
            typeof(System.Dynamic.ExpandoObject).Assembly,
            typeof(ScriptGlobals).Assembly)
        .WithImports(
            "System",
            "System.Collections.Generic",
            "System.IO",
            "System.Linq",
            "System.Text.Json",
            "System.Threading",
            "System.Threading.Tasks",
            "Microsoft.Extensions.Logging",
            // The block SDK, so scripts can throw NonRetryableBlockException and read Input<Table>(...) by their short names.
            "Duraflow.Blocks")
        // Debug information puts the script's file and line into the stack traces of its exceptions, which is
        // what the run log shows; it needs the encoding to embed the source.
        .WithEmitDebugInformation(true)
        .WithFileEncoding(Encoding.UTF8);

    // The debug information goes inside the DLL, so a cached script is one file, written and renamed as one.
    private static readonly EmitOptions ImageOptions = new(debugInformationFormat: DebugInformationFormat.Embedded);

    // What Roslyn's runner does for a script without statements: it returns null, so the block's output is JSON null.
    private static readonly Func<ScriptGlobals, CancellationToken, Task<object>> NothingToRun = (_, _) => Task.FromResult<object>(null!);

    private readonly ConcurrentDictionary<string, Lazy<CompiledScript>> _cache = new(StringComparer.Ordinal);

    // Code that Check found to compile without loading it, by the same key as _cache.
    private readonly ConcurrentDictionary<string, bool> _checked = new(StringComparer.Ordinal);

    private readonly ScriptDiskCache? _disk;
    private int _compilations;
    private int _cacheLoads;

    /// <summary>Creates a compiler that caches compiled scripts in memory only.</summary>
    public ScriptCompiler()
        : this(null)
    {
    }

    /// <summary>Creates a compiler that also keeps compiled scripts in <paramref name="cacheDirectory"/>.</summary>
    /// <param name="cacheDirectory">
    /// The cache folder, created on first use and shared safely by processes, or null to cache in memory only. A
    /// folder that cannot be written only costs speed.
    /// </param>
    public ScriptCompiler(string? cacheDirectory)
        : this(cacheDirectory, ScriptDiskCache.BuildFingerprint)
    {
    }

    /// <summary>Creates a compiler whose cache files are named as if by another build of Duraflow, Roslyn or .NET.</summary>
    internal ScriptCompiler(string? cacheDirectory, string buildFingerprint)
    {
        _disk = cacheDirectory is null ? null : new ScriptDiskCache(cacheDirectory, buildFingerprint);
    }

    /// <summary>The full path of the cache folder, or null when this compiler caches in memory only.</summary>
    public string? CacheDirectory => _disk?.Folder;

    /// <summary>How many compilations ran (successful or not); cache hits, in memory or on disk, do not count.</summary>
    internal int Compilations => Volatile.Read(ref _compilations);

    /// <summary>How many scripts were loaded from the cache folder instead of compiled.</summary>
    internal int CacheLoads => Volatile.Read(ref _cacheLoads);

    /// <summary>
    /// Returns the compiled form of <paramref name="code"/>, compiling it only if this compiler has not produced the
    /// same code before and the cache folder does not hold it.
    /// </summary>
    /// <param name="displayPath">
    /// The path shown in errors and stack traces, relative to <paramref name="projectRoot"/>, e.g.
    /// <c>pipelines/orders/blocks/clean_orders.csx</c>; a relative <c>#load</c> starts from its folder.
    /// </param>
    /// <param name="code">The script's text.</param>
    /// <param name="projectRoot">The project folder, which <c>#load</c> may not leave; default: the current directory.</param>
    /// <exception cref="ScriptCompilationException">The script does not compile.</exception>
    public CompiledScript Compile(string displayPath, string code, string? projectRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayPath);
        ArgumentNullException.ThrowIfNull(code);
        var source = new ScriptSource(displayPath, code, projectRoot);
        var entry = _cache.GetOrAdd(source.Key, _ => new Lazy<CompiledScript>(
            () => Produce(source), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch (ScriptCompilationException)
        {
            // Only this exact entry: a caller may already have replaced it with a fresh attempt.
            _cache.TryRemove(KeyValuePair.Create(source.Key, entry));
            throw;
        }
    }

    /// <summary>
    /// Returns the compile errors of <paramref name="code"/>, or an empty list when it compiles; for validating
    /// scripts before a run.
    /// </summary>
    /// <remarks>
    /// Nothing is loaded, so checking costs no memory that stays. A script already compiled by this compiler or
    /// found in the cache folder is not compiled again (only scripts that compiled are ever written there); one
    /// compiled here is written to the cache folder, so the run that follows loads it.
    /// </remarks>
    /// <param name="displayPath">The path named by the errors, and by stack traces when the cached script runs.</param>
    /// <param name="code">The script's text.</param>
    /// <param name="projectRoot">As for <see cref="Compile"/>.</param>
    public IReadOnlyList<ScriptError> Check(string displayPath, string code, string? projectRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayPath);
        ArgumentNullException.ThrowIfNull(code);
        var source = new ScriptSource(displayPath, code, projectRoot);
        if (_checked.ContainsKey(source.Key) || (_cache.TryGetValue(source.Key, out var entry) && entry.IsValueCreated))
        {
            return [];
        }

        var errors = source.HasDirectives ? Diagnose(source) : CheckCached(source);
        if (errors.Count == 0)
        {
            _checked.TryAdd(source.Key, true);
        }

        return errors;
    }

    private IReadOnlyList<ScriptError> CheckCached(ScriptSource source)
    {
        var file = _disk?.PathFor(source.Code);
        if (file is not null && File.Exists(file))
        {
            return [];
        }

        var image = TryEmit(source, out var errors);
        if (image is { Length: > 0 } && file is not null)
        {
            _disk!.TryWrite(file, image);
        }

        return errors;
    }

    private CompiledScript Produce(ScriptSource source)
    {
        if (source.HasDirectives)
        {
            return CompileWithRoslyn(source);
        }

        var file = _disk?.PathFor(source.Code);
        if (file is not null && TryLoad(file) is { } cached)
        {
            Interlocked.Increment(ref _cacheLoads);
            return new CompiledScript(source.DisplayPath, Runner(cached));
        }

        var image = TryEmit(source, out var errors) ?? throw new ScriptCompilationException(errors);
        if (image.Length == 0)
        {
            return new CompiledScript(source.DisplayPath, NothingToRun);
        }

        if (file is not null)
        {
            _disk!.TryWrite(file, image);
        }

        return new CompiledScript(source.DisplayPath, Runner(ScriptAssembly.Load(image, source.DisplayPath)));
    }

    // A cache file that cannot be read or loaded is ignored; the caller compiles and writes a good one over it.
    private static Func<object?[], Task<object>>? TryLoad(string file)
    {
        if (ScriptDiskCache.TryRead(file) is not { } image)
        {
            return null;
        }

        try
        {
            return ScriptAssembly.Load(image, file);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or TypeLoadException
            or ReflectionTypeLoadException or MemberAccessException or ArgumentException)
        {
            return null;
        }
    }

    // The same call Roslyn's own runner makes: the globals, then the slot the submission fills with itself.
    private static Func<ScriptGlobals, CancellationToken, Task<object>> Runner(Func<object?[], Task<object>> factory) =>
        (globals, _) => factory([globals, null]);

    // Null when the script has errors; empty when it has no statement at all, which Roslyn does not emit.
    private byte[]? TryEmit(ScriptSource source, out IReadOnlyList<ScriptError> errors)
    {
        Interlocked.Increment(ref _compilations);
        var compilation = Create(source).GetCompilation();

        // Syntax errors alone when there are any, as Roslyn's runner reports them: the errors they cause are noise.
        errors = Errors(source, compilation.GetParseDiagnostics());
        if (errors.Count > 0)
        {
            return null;
        }

        using var image = new MemoryStream();
        var result = compilation.Emit(image, options: ImageOptions);
        errors = Errors(source, result.Diagnostics);
        return errors.Count > 0 ? null : result.Success ? image.ToArray() : [];
    }

    // #r and #load bring in files that the disk cache key does not cover, and assemblies that only Roslyn's own
    // loader knows where to find, so such scripts are compiled and loaded by Roslyn and kept in memory only.
    private CompiledScript CompileWithRoslyn(ScriptSource source)
    {
        Interlocked.Increment(ref _compilations);
        var errors = source.LoadErrors();
        var script = Create(source);
        if (errors.Count == 0)
        {
            errors = Errors(source, script.Compile());
        }

        if (errors.Count > 0)
        {
            throw new ScriptCompilationException(errors);
        }

        // Compile() keeps the emitted assembly, so creating the delegate does not compile again.
        var runner = script.CreateDelegate();
        return new CompiledScript(source.DisplayPath, (globals, cancellationToken) => runner(globals, cancellationToken));
    }

    // Errors without emitting: Roslyn's Compile() would also load the script, which checking must not do.
    private List<ScriptError> Diagnose(ScriptSource source)
    {
        Interlocked.Increment(ref _compilations);
        var loadErrors = source.LoadErrors();
        if (loadErrors.Count > 0)
        {
            return loadErrors;
        }

        var compilation = Create(source).GetCompilation();
        var errors = Errors(source, compilation.GetParseDiagnostics());
        return errors.Count > 0 ? errors : Errors(source, compilation.GetDiagnostics());
    }

    private static Script<object> Create(ScriptSource source) =>
        CSharpScript.Create<object>(
            source.Code,
            BaseOptions.WithFilePath(source.DisplayPath).WithSourceResolver(source.Resolver),
            typeof(ScriptGlobals));

    private static List<ScriptError> Errors(ScriptSource source, IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => ToError(source, d))];

    // An error inside a file the script loads names that file, relative to the project, not the script that loads it.
    private static ScriptError ToError(ScriptSource source, Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource)
        {
            return new ScriptError(source.DisplayPath, null, diagnostic.Id, message);
        }

        var span = diagnostic.Location.GetMappedLineSpan();
        var file = span.Path is { Length: > 0 } path && path != source.DisplayPath ? source.Shown(path) : source.DisplayPath;
        return new ScriptError(file, new TextPosition(span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1), diagnostic.Id, message);
    }
}
