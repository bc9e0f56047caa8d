using Duraflow.Blocks.Scripts;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>#load in script blocks: relative to the script, inside the project only; and what every script may use.</summary>
public sealed class ScriptLoadTests : IDisposable
{
    private const string MainPath = "pipelines/p/blocks/main.csx";

    private readonly TempFolder _project = new();
    private readonly TempFolder _outside = new();

    public void Dispose()
    {
        _project.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public async Task A_relative_load_starts_at_the_scripts_folder_and_an_edited_helper_is_compiled_again()
    {
        _project.Write("pipelines/p/blocks/helpers/math.csx", "static int Scale(int x) => x * 2;");
        const string code = "#load \"helpers/math.csx\"\nreturn Scale(21);";
        var compiler = new ScriptCompiler();

        Assert.Empty(compiler.Check(MainPath, code, _project.Root));
        Assert.Equal("42", await RunAsync(compiler.Compile(MainPath, code, _project.Root)));

        _project.Write("pipelines/p/blocks/helpers/math.csx", "static int Scale(int x) => x * 3;");
        Assert.Equal("63", await RunAsync(compiler.Compile(MainPath, code, _project.Root)));
    }

    [Fact]
    public async Task An_edit_to_a_file_loaded_through_another_is_compiled_again()
    {
        _project.Write("pipelines/p/blocks/lib/outer.csx", "#load \"inner.csx\"\nstatic int Twice(int x) => Base(x) * 2;");
        _project.Write("pipelines/p/blocks/lib/inner.csx", "static int Base(int x) => x;");
        const string code = "#load \"lib/outer.csx\"\nreturn Twice(5);";
        var compiler = new ScriptCompiler();

        Assert.Equal("10", await RunAsync(compiler.Compile(MainPath, code, _project.Root)));
        _project.Write("pipelines/p/blocks/lib/inner.csx", "static int Base(int x) => x + 1;");

        Assert.Equal("12", await RunAsync(compiler.Compile(MainPath, code, _project.Root)));
    }

    [Fact]
    public void An_error_inside_a_loaded_file_names_that_file()
    {
        _project.Write("pipelines/p/blocks/helpers/broken.csx", "static int Scale(int x) =>\n    x * factr;");

        var error = Assert.Single(new ScriptCompiler().Check(MainPath, "#load \"helpers/broken.csx\"\nreturn Scale(2);", _project.Root));

        Assert.Equal(("pipelines/p/blocks/helpers/broken.csx", new Text.TextPosition(2, 9), "CS0103"), (error.FilePath, error.Position!.Value, error.Id));
    }

    [Fact]
    public async Task An_absolute_load_inside_the_project_is_allowed()
    {
        var helper = _project.Write("shared/greeting.csx", "static string Greet(string who) => $\"hello {who}\";");
        var code = $"#load \"{helper}\"\nreturn Greet(\"ada\");";

        Assert.Equal("\"hello ada\"", await RunAsync(new ScriptCompiler().Compile(MainPath, code, _project.Root)));
    }

    [Fact]
    public void A_load_that_leaves_the_project_is_refused_where_it_is_written_by_validation_and_by_a_run()
    {
        var outside = _outside.Write("evil.csx", "static int Scale(int x) => x;");
        var relative = Path.GetRelativePath(_project.PathOf("pipelines/p/blocks"), outside);
        var code = $"// shared helpers\n#load \"{relative}\"\nreturn Scale(1);";

        var checkedErrors = new ScriptCompiler().Check(MainPath, code, _project.Root);
        var error = Assert.Throws<ScriptCompilationException>(() => new ScriptCompiler().Compile(MainPath, code, _project.Root));

        var expected = new ScriptError(MainPath, new Text.TextPosition(2, 7), "#load",
            $"'{relative}' leads to {outside}, outside the project folder; keep the scripts a block loads inside the project");
        Assert.Equal(expected, Assert.Single(checkedErrors));
        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void A_load_through_a_symbolic_link_out_of_the_project_is_refused()
    {
        var outside = _outside.Write("lib/evil.csx", "static int Scale(int x) => x;");
        Directory.CreateDirectory(_project.PathOf("pipelines/p/blocks"));
        File.CreateSymbolicLink(_project.PathOf("pipelines/p/blocks/lib.csx"), outside);

        var error = Assert.Single(new ScriptCompiler().Check(MainPath, "#load \"lib.csx\"\nreturn Scale(1);", _project.Root));

        Assert.Equal("#load", error.Id);
        Assert.Contains($"leads to {outside}, outside the project folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_IO_is_imported_and_the_project_root_is_known()
    {
        _project.Write("data/input.txt", "three words here");
        const string code = "return File.ReadAllText(Path.Combine(ProjectRoot, \"data\", \"input.txt\")).Split(' ').Length;";

        Assert.Equal("3", await RunAsync(new ScriptCompiler().Compile(MainPath, code, _project.Root)));
    }

    private async Task<string> RunAsync(CompiledScript script) =>
        (await script.RunAsync(BlockContexts.Create(_project.Root))).AsJson().GetRawText();
}
