using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Logging;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// Compiles C# script blocks (<c>.csx</c>) against <see cref="ScriptGlobals"/>, once per distinct code.
/// </summary>
/// <remarks>
/// Compiling is slow (most of a second for the first script in a process, while Roslyn warms up; tens of
/// milliseconds after) and every compilation loads an assembly that cannot be unloaded, so results are cached by
/// the SHA-256 of the code for the life of the compiler: a bounded cache would not free the memory, only compile
/// again. Safe for concurrent use; threads asking for the same code at once share one compilation. Failed
/// compilations are not cached, so each caller gets errors that name its own file (a failed compilation loads
/// nothing).
/// </remarks>
public sealed class ScriptCompiler
{
    private static readonly ScriptOptions BaseOptions = ScriptOptions.Default
        .AddReferences(
            typeof(object).Assembly,
            typeof(Enumerable).Assembly,
            typeof(JsonElement).Assembly,
            typeof(ILogger).Assembly,
            typeof(ScriptGlobals).Assembly)
        .WithImports(
            "System",
            "System.Collections.Generic",
            "System.Linq",
            "System.Text.Json",
            "System.Threading",
            "System.Threading.Tasks",
            "Microsoft.Extensions.Logging",
            // So scripts can throw NonRetryableBlockException by its short name.
            "Duraflow.Blocks.Execution")
        // Debug information puts the script's file and line into the stack traces of its exceptions, which is
        // what the run log shows; it needs the encoding to embed the source.
        .WithEmitDebugInformation(true)
        .WithFileEncoding(Encoding.UTF8);

    private readonly ConcurrentDictionary<string, Lazy<CompiledScript>> _cache = new(StringComparer.Ordinal);
    private int _compilations;

    /// <summary>How many compilations ran (successful or not); cache hits do not count.</summary>
    internal int Compilations => Volatile.Read(ref _compilations);

    /// <summary>
    /// Returns the compiled form of <paramref name="code"/>, compiling it only if this compiler has not compiled the
    /// same code before.
    /// </summary>
    /// <param name="displayPath">The path shown in errors and stack traces, e.g. <c>blocks/clean_orders.csx</c>.</param>
    /// <param name="code">The script's text.</param>
    /// <exception cref="ScriptCompilationException">The script does not compile.</exception>
    public CompiledScript Compile(string displayPath, string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayPath);
        ArgumentNullException.ThrowIfNull(code);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        var entry = _cache.GetOrAdd(key, _ => new Lazy<CompiledScript>(
            () => CompileNow(displayPath, code), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch (ScriptCompilationException)
        {
            // Only this exact entry: a caller may already have replaced it with a fresh attempt.
            _cache.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    private CompiledScript CompileNow(string displayPath, string code)
    {
        Interlocked.Increment(ref _compilations);
        var script = CSharpScript.Create<object>(code, BaseOptions.WithFilePath(displayPath), typeof(ScriptGlobals));
        var errors = script.Compile()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => ToError(displayPath, d))
            .ToList();
        if (errors.Count > 0)
        {
            throw new ScriptCompilationException(errors);
        }

        // Compile() keeps the emitted assembly, so creating the delegate does not compile again.
        return new CompiledScript(displayPath, script.CreateDelegate());
    }

    private static ScriptError ToError(string displayPath, Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource)
        {
            return new ScriptError(displayPath, null, diagnostic.Id, message);
        }

        var start = diagnostic.Location.GetMappedLineSpan().StartLinePosition;
        return new ScriptError(displayPath, new TextPosition(start.Line + 1, start.Character + 1), diagnostic.Id, message);
    }
}
