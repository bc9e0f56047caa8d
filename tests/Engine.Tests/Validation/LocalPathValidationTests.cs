using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Validation;

/// <summary>
/// What validate reports before any run about local paths: literal file-block paths that leave the project, scripts
/// reached through a link out of it, files.roots and store.path that would open the machine up.
/// </summary>
public sealed class LocalPathValidationTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly TempFolder _outside = new();

    public void Dispose()
    {
        _project.Dispose();
        _outside.Dispose();
    }

    private ProjectValidation Validate() => ProjectValidator.Validate(_project.Root, displayRoot: _project.Root);

    private void Pipeline(string path) =>
        _project.Write("pipelines/p/pipeline.yaml", $"name: p\nblocks:\n  - name: read\n    uses: csv.read\n    with:\n      path: \"{path}\"\n");

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.csv")]
    [InlineData("data/../../x.csv")]
    public void A_literal_path_out_of_the_project_is_located_at_its_value(string path)
    {
        Pipeline(path);

        var error = Assert.Single(Validate().Diagnostics, d => d.Code == DiagnosticCodes.PathOutsideProject);

        Assert.Equal("pipelines/p/pipeline.yaml:6:13", $"{error.Location.File}:{error.Location.Line}:{error.Location.Column}");
        Assert.Contains($"with.path '{path}' leads to", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data/orders.csv")]
    [InlineData("landing/{{ params.day }}.csv")]
    public void Paths_inside_the_project_and_templated_ones_pass_validation(string path)
    {
        Pipeline(path);

        Assert.DoesNotContain(Validate().Diagnostics, d => d.Code == DiagnosticCodes.PathOutsideProject);
    }

    [Fact]
    public void A_folder_listed_in_files_roots_is_allowed_and_a_relative_root_is_an_error()
    {
        _project.Write("duraflow.yaml", $"files:\n  roots: [\"{_outside.Root}\", data/landing]\n");
        Pipeline(Path.Combine(_outside.Root, "orders.csv"));

        var validation = Validate();

        Assert.DoesNotContain(validation.Diagnostics, d => d.Code == DiagnosticCodes.PathOutsideProject);
        Assert.Contains(validation.Diagnostics, d => d.Code == DiagnosticCodes.BadValue && d.Message.Contains("files 'roots' lists folders outside the project by absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public void A_script_that_is_a_link_out_of_the_project_is_refused()
    {
        _outside.Write("steal.csx", "return System.IO.File.ReadAllText(\"/etc/hostname\");\n");
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: s, uses: \"script:blocks/s.csx\" }\n");
        Directory.CreateDirectory(_project.PathOf("pipelines/p/blocks"));
        File.CreateSymbolicLink(_project.PathOf("pipelines/p/blocks/s.csx"), Path.Combine(_outside.Root, "steal.csx"));

        var validation = Validate();

        var error = Assert.Single(validation.Diagnostics, d => d.Code == DiagnosticCodes.PathOutsideProject);
        Assert.Contains("a symbolic link to", error.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(validation.Pipelines).Files);
    }

    [Theory]
    [InlineData("../runs.db", true)]
    [InlineData(".duraflow/../../runs.db", true)]
    [InlineData(".duraflow/runs.db", false)]
    [InlineData("/var/lib/duraflow/runs.db", false)]
    public void A_relative_store_path_must_stay_in_the_project(string storePath, bool refused)
    {
        _project.Write("duraflow.yaml", $"store:\n  path: \"{storePath}\"\n");
        Pipeline("data/orders.csv");

        var errors = Validate().Diagnostics.Where(d => d.Message.Contains("leads out of the project folder", StringComparison.Ordinal));

        Assert.Equal(refused, errors.Any());
    }
}
