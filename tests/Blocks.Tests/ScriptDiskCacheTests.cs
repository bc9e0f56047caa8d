using System.Runtime.InteropServices;
using Duraflow.Blocks.Scripts;
using Duraflow.Tests;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// The cache folder: each new <see cref="ScriptCompiler"/> over it stands for a new process, and its counters say
/// whether it compiled a script or loaded it.
/// </summary>
public sealed class ScriptDiskCacheTests : IDisposable
{
    private const string Code = """
        public record Total(string Day, int Orders);
        return new[] { new Total("2026-11-24", RunId.Length) };
        """;

    private readonly TempFolder _folder = new();

    private string Cache => _folder.PathOf("cache");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Second_compiler_over_the_folder_loads_the_script_instead_of_compiling()
    {
        var first = new ScriptCompiler(Cache);
        var compiled = first.Compile("blocks/totals.csx", Code);
        var second = new ScriptCompiler(Cache);

        var loaded = second.Compile("blocks/totals.csx", Code);

        Assert.Equal((1, 0), (first.Compilations, first.CacheLoads));
        Assert.Equal((0, 1), (second.Compilations, second.CacheLoads));
        Assert.Equal(await RunAsync(compiled), await RunAsync(loaded));
        Assert.Equal("""[{"day":"2026-11-24","orders":5}]""", await RunAsync(loaded));
        Assert.Same(loaded, second.Compile("blocks/other.csx", Code));
        Assert.Equal(Path.GetFullPath(Cache), second.CacheDirectory);
    }

    [Fact]
    public void Changed_text_is_compiled_and_kept_beside_the_old_build()
    {
        new ScriptCompiler(Cache).Compile("blocks/totals.csx", Code);
        var next = new ScriptCompiler(Cache);

        next.Compile("blocks/totals.csx", Code + "\n// edited");

        Assert.Equal((1, 0), (next.Compilations, next.CacheLoads));
        Assert.Equal(2, CacheFiles().Length);
    }

    [Fact]
    public void Another_build_of_duraflow_or_roslyn_does_not_load_this_builds_files()
    {
        new ScriptCompiler(Cache).Compile("blocks/totals.csx", Code);
        var upgraded = new ScriptCompiler(Cache, "duraflow built from other sources");

        upgraded.Compile("blocks/totals.csx", Code);

        Assert.Equal((1, 0), (upgraded.Compilations, upgraded.CacheLoads));
        Assert.Equal(2, CacheFiles().Length);
    }

    [Fact]
    public void Build_fingerprint_covers_duraflow_blocks_roslyn_and_the_runtime()
    {
        var fingerprint = ScriptDiskCache.BuildFingerprint;

        Assert.Contains(typeof(ScriptGlobals).Assembly.ManifestModule.ModuleVersionId.ToString(), fingerprint, StringComparison.Ordinal);
        Assert.Contains(typeof(ScriptGlobals).Assembly.GetName().Version!.ToString(), fingerprint, StringComparison.Ordinal);
        Assert.Contains(typeof(CSharpCompilation).Assembly.GetName().Version!.ToString(3), fingerprint, StringComparison.Ordinal);
        Assert.Contains(RuntimeInformation.FrameworkDescription, fingerprint, StringComparison.Ordinal);
    }

    public static TheoryData<string> Damages() => ["garbage", "empty", "truncated", "another assembly"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_cache_file_is_ignored_and_rebuilt(string damage)
    {
        new ScriptCompiler(Cache).Compile("blocks/totals.csx", Code);
        var file = Assert.Single(CacheFiles());
        var good = File.ReadAllBytes(file);
        File.WriteAllBytes(file, damage switch
        {
            "garbage" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))],
            "empty" => [],
            "truncated" => good[..(good.Length / 2)],
            _ => File.ReadAllBytes(typeof(NullLogger).Assembly.Location),
        });
        var next = new ScriptCompiler(Cache);

        var script = next.Compile("blocks/totals.csx", Code);

        Assert.Equal((1, 0), (next.Compilations, next.CacheLoads));
        Assert.Equal("""[{"day":"2026-11-24","orders":5}]""", await RunAsync(script));
        var after = new ScriptCompiler(Cache);
        after.Compile("blocks/totals.csx", Code);
        Assert.Equal((0, 1), (after.Compilations, after.CacheLoads));
        Assert.Equal(file, Assert.Single(CacheFiles()));
    }

    [Fact]
    public void A_write_leaves_only_the_finished_file()
    {
        new ScriptCompiler(Cache).Compile("blocks/totals.csx", Code);

        var file = Assert.Single(Directory.GetFiles(Cache));
        Assert.Matches("^[0-9a-f]{64}\\.dll$", Path.GetFileName(file));
    }

    [Fact]
    public async Task Compilers_racing_on_one_folder_all_get_the_script_and_leave_one_good_file()
    {
        const int compilers = 6;
        using var start = new Barrier(compilers);

        var scripts = await Task.WhenAll(Enumerable.Range(0, compilers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                var compiler = new ScriptCompiler(Cache);
                start.SignalAndWait();
                return compiler.Compile("blocks/totals.csx", Code);
            },
            TaskCreationOptions.LongRunning)));

        foreach (var script in scripts)
        {
            Assert.Equal("""[{"day":"2026-11-24","orders":5}]""", await RunAsync(script));
        }

        Assert.Single(Directory.GetFiles(Cache));
        var after = new ScriptCompiler(Cache);
        after.Compile("blocks/totals.csx", Code);
        Assert.Equal((0, 1), (after.Compilations, after.CacheLoads));
    }

    [Fact]
    public async Task A_cache_folder_that_cannot_be_created_only_costs_compiling_again()
    {
        // A file where the folder should be: creating the folder fails on every platform and for every user.
        var blocked = Path.Combine(_folder.Write("blocked", "not a folder"), "scripts");
        var first = new ScriptCompiler(blocked);
        var second = new ScriptCompiler(blocked);

        var script = first.Compile("blocks/totals.csx", Code);
        second.Compile("blocks/totals.csx", Code);

        Assert.Equal("""[{"day":"2026-11-24","orders":5}]""", await RunAsync(script));
        Assert.Empty(new ScriptCompiler(blocked).Check("blocks/totals.csx", Code));
        Assert.Equal((1, 0), (second.Compilations, second.CacheLoads));
    }

    [Fact]
    public void Check_finds_a_cached_script_without_compiling_or_loading_it()
    {
        new ScriptCompiler(Cache).Compile("blocks/totals.csx", Code);
        var validator = new ScriptCompiler(Cache);

        Assert.Empty(validator.Check("blocks/totals.csx", Code));

        Assert.Equal((0, 0), (validator.Compilations, validator.CacheLoads));
    }

    [Fact]
    public void Check_writes_the_cache_so_that_the_run_loads_the_script()
    {
        var validator = new ScriptCompiler(Cache);
        Assert.Empty(validator.Check("blocks/totals.csx", Code));
        var runner = new ScriptCompiler(Cache);

        runner.Compile("blocks/totals.csx", Code);

        Assert.Equal((1, 0), (validator.Compilations, validator.CacheLoads));
        Assert.Equal((0, 1), (runner.Compilations, runner.CacheLoads));
    }

    [Fact]
    public void Script_that_does_not_compile_is_never_written()
    {
        var compiler = new ScriptCompiler(Cache);

        var error = Assert.Single(compiler.Check("blocks/broken.csx", "return Input<int>(\"a\").Lenght;"));
        Assert.Throws<ScriptCompilationException>(() => compiler.Compile("blocks/broken.csx", "return Input<int>(\"a\").Lenght;"));

        Assert.Equal("CS1061", error.Id);
        Assert.False(Directory.Exists(Cache) && Directory.EnumerateFileSystemEntries(Cache).Any());
    }

    [Theory]
    [InlineData("")]
    [InlineData("// nothing to do yet\n")]
    public async Task Script_without_statements_returns_null_and_is_not_written(string code)
    {
        var compiler = new ScriptCompiler(Cache);

        var script = compiler.Compile("blocks/empty.csx", code);

        Assert.Equal("null", await RunAsync(script));
        Assert.Empty(compiler.Check("blocks/empty.csx", code));
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public async Task Script_with_a_reference_directive_runs_but_is_kept_in_memory_only()
    {
        // #r names files the cache key does not cover, so such a script is compiled by each process.
        var code = $"#r \"{typeof(NullLogger).Assembly.Location}\"\nreturn Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance.GetType().Name;";
        var compiler = new ScriptCompiler(Cache);

        var script = compiler.Compile("blocks/directive.csx", code);

        Assert.Equal("\"NullLogger\"", await RunAsync(script));
        Assert.Empty(new ScriptCompiler(Cache).Check("blocks/directive.csx", code));
        Assert.Equal("CS0103", Assert.Single(compiler.Check("blocks/directive.csx", code + "\nreturn missing;")).Id);
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public void Script_with_a_region_is_not_mistaken_for_a_directive()
    {
        new ScriptCompiler(Cache).Compile("blocks/region.csx", "#region setup\nvar a = 1;\n#endregion\nreturn a;");

        Assert.Single(CacheFiles());
    }

    private string[] CacheFiles() => Directory.GetFiles(Cache, "*.dll");

    private async Task<string> RunAsync(CompiledScript script) =>
        (await script.RunAsync(BlockContexts.Create(_folder.Root))).AsJson().GetRawText();
}
