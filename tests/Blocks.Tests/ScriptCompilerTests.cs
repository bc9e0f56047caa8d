using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Text;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>Compile errors and the in-memory cache; the cache folder has <see cref="ScriptDiskCacheTests"/>.</summary>
public sealed class ScriptCompilerTests(ScriptCompilerFixture fixture) : IClassFixture<ScriptCompilerFixture>
{
    private ScriptCompiler Compiler => fixture.Compiler;

    [Fact]
    public void Compile_error_reports_file_line_and_column()
    {
        const string code = "var total = 1;\n    totl += 1;\nreturn total;";
        var column = code.Split('\n')[1].IndexOf("totl", StringComparison.Ordinal) + 1;

        var error = Assert.Throws<ScriptCompilationException>(() => Compiler.Compile("blocks/x.csx", code));

        Assert.Equal(5, column);
        const string message = "The name 'totl' does not exist in the current context";
        Assert.Equal(new ScriptError("blocks/x.csx", new TextPosition(2, column), "CS0103", message), Assert.Single(error.Errors));
        Assert.EndsWith(Environment.NewLine + "blocks/x.csx:2:5: error CS0103: " + message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_error_message_lists_every_error()
    {
        const string code = "int a = \"text\";\nreturn b;";

        var error = Assert.Throws<ScriptCompilationException>(() => Compiler.Compile("blocks/two.csx", code));

        Assert.Equal(
            [("CS0029", new TextPosition(1, 9)), ("CS0103", new TextPosition(2, 8))],
            error.Errors.Select(e => (e.Id, e.Position.GetValueOrDefault())));
        Assert.StartsWith("blocks/two.csx does not compile (2 errors):", error.Message, StringComparison.Ordinal);
        Assert.All(error.Errors, e => Assert.Contains(Environment.NewLine + e, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Failed_compile_is_not_cached_so_each_caller_sees_its_own_file()
    {
        const string code = "return missing_name_for_cache_test;";

        var first = Assert.Throws<ScriptCompilationException>(() => Compiler.Compile("blocks/a.csx", code));
        var second = Assert.Throws<ScriptCompilationException>(() => Compiler.Compile("blocks/b.csx", code));

        Assert.Equal("blocks/a.csx", Assert.Single(first.Errors).FilePath);
        Assert.Equal("blocks/b.csx", Assert.Single(second.Errors).FilePath);
    }

    [Fact]
    public void Identical_code_is_compiled_once()
    {
        const string code = "return \"cache test\";";
        var before = Compiler.Compilations;

        var first = Compiler.Compile("blocks/a.csx", code);
        var again = Compiler.Compile("blocks/b.csx", code);
        var other = Compiler.Compile("blocks/a.csx", code + " // changed");

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(before + 2, Compiler.Compilations);
    }

    [Fact]
    public async Task Concurrent_compiles_of_the_same_code_share_one_compilation()
    {
        const string code = "return \"concurrency test\";";
        const int threads = 4;
        var before = Compiler.Compilations;
        using var start = new Barrier(threads);

        var results = await Task.WhenAll(Enumerable.Range(0, threads)
            .Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return Compiler.Compile("blocks/same.csx", code);
                },
                TaskCreationOptions.LongRunning)));

        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal(before + 1, Compiler.Compilations);
    }

    public static TheoryData<string> ExampleScripts() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Examples, "pipelines"), "*.csx", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryPaths.Examples, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ExampleScripts))]
    public void Example_script_compiles(string path)
    {
        var script = Compiler.Compile(path, File.ReadAllText(Path.Combine(RepositoryPaths.Examples, path)));

        Assert.Equal(path, script.DisplayPath);
    }

    [Fact]
    public void Check_reports_the_errors_compile_throws()
    {
        const string code = "var rows = new List<int>();\nreturn rows.Count();\nrows.Lenght = 2;";

        var errors = Compiler.Check("blocks/check.csx", code);
        var thrown = Assert.Throws<ScriptCompilationException>(() => Compiler.Compile("blocks/check.csx", code));

        var error = Assert.Single(errors);
        Assert.Equal(("CS1061", new TextPosition(3, code.Split('\n')[2].IndexOf("Lenght", StringComparison.Ordinal) + 1)), (error.Id, error.Position!.Value));
        Assert.Equal(thrown.Errors, errors);
    }

    [Fact]
    public void Check_reports_syntax_errors_alone()
    {
        // A missing semicolon also leaves the next statement unparsed; only the syntax error says what to fix.
        var error = Assert.Single(Compiler.Check("blocks/syntax.csx", "var a = 1\nreturn a;"));

        Assert.Equal(("CS1002", new TextPosition(1, 10)), (error.Id, error.Position!.Value));
    }

    [Fact]
    public void Check_ignores_warnings()
    {
        Assert.Empty(Compiler.Check("blocks/warning.csx", "#warning not finished\nreturn 1;"));
    }

    [Fact]
    public void Check_remembers_code_that_compiled()
    {
        const string code = "return \"checked once\";";
        var before = Compiler.Compilations;

        Assert.Empty(Compiler.Check("blocks/a.csx", code));
        Assert.Empty(Compiler.Check("blocks/b.csx", code));

        Assert.Equal(before + 1, Compiler.Compilations);
    }

    [Fact]
    public void Check_of_code_already_compiled_does_not_compile_again()
    {
        const string code = "return \"compiled before checked\";";
        Compiler.Compile("blocks/a.csx", code);
        var before = Compiler.Compilations;

        Assert.Empty(Compiler.Check("blocks/a.csx", code));

        Assert.Equal(before, Compiler.Compilations);
    }
}
