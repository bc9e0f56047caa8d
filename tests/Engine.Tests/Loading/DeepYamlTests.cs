using Duraflow.Engine.Connections;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Loading;

/// <summary>
/// Definition files nested 100,000 levels deep, or too large, are refused with a located error instead of
/// overflowing the stack (which no catch can stop: the process dies).
/// </summary>
public sealed class DeepYamlTests : IDisposable
{
    private const int Levels = 100_000;
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    public static TheoryData<string> DeepShapes => new()
    {
        // Flow sequences, flow mappings, and block mappings indented one step a level.
        "name: deep\nblocks: " + new string('[', Levels) + new string(']', Levels) + "\n",
        "name: deep\nblocks: " + string.Concat(Enumerable.Repeat("{a: ", Levels)) + "1" + new string('}', Levels) + "\n",
        "name: deep\nblocks:\n" + string.Concat(Enumerable.Range(1, 2_000).Select(i => new string(' ', i) + "k:\n")),
    };

    [Theory]
    [MemberData(nameof(DeepShapes))]
    public void A_deeply_nested_pipeline_is_a_located_error(string yaml)
    {
        var result = PipelineLoader.Parse(yaml, _project.PathOf("pipelines/deep/pipeline.yaml"), "pipelines/deep/pipeline.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Contains($"nesting deeper than {YamlDocuments.MaxNesting} levels", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Location.Line, 2, YamlDocuments.MaxNesting + 2);
    }

    [Fact]
    public void Chained_anchors_count_as_deep_as_they_expand()
    {
        // Each anchor holds 40 levels and the next alias sits 40 levels down: the text is shallow, the tree is not.
        var yaml = new System.Text.StringBuilder("name: deep\nanchors:\n");
        for (var i = 0; i < 5; i++)
        {
            var inner = i == 0 ? "1" : $"*a{i - 1}";
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - &a{i} ").Append(new string('[', 40)).Append(inner).Append(new string(']', 40)).Append('\n');
        }

        var result = PipelineLoader.Parse(yaml.ToString(), _project.PathOf("pipelines/deep/pipeline.yaml"), "pipelines/deep/pipeline.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains($"nesting deeper than {YamlDocuments.MaxNesting} levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Location.Line);
    }

    [Fact]
    public void Nesting_up_to_the_bound_still_loads()
    {
        // blocks (1) > list (2) > block map (3) > with (4) > 60 nested lists: 64 levels in all.
        var yaml = "name: ok\nblocks:\n  - name: a\n    uses: script:a.csx\n    with:\n      v: " + new string('[', YamlDocuments.MaxNesting - 4) + new string(']', YamlDocuments.MaxNesting - 4) + "\n";

        var result = PipelineLoader.Parse(yaml, _project.PathOf("pipelines/ok/pipeline.yaml"), "pipelines/ok/pipeline.yaml");

        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("nesting", StringComparison.Ordinal));
        Assert.NotNull(result.Definition);
    }

    [Fact]
    public void Deep_io_config_secrets_and_settings_files_are_located_errors_too()
    {
        var deep = "a: " + new string('[', Levels) + new string(']', Levels) + "\n";
        _project.Write("secrets.local.yaml", deep);
        _project.Write("duraflow.yaml", deep);
        var diagnostics = new DiagnosticBag();

        var config = IoConfigReader.Read(deep, "io_config.yaml");
        LocalFileSecrets.Read(_project.PathOf("secrets.local.yaml"), "secrets.local.yaml", diagnostics);
        ProjectSettingsReader.Read(_project.PathOf("duraflow.yaml"), "duraflow.yaml", diagnostics);

        Assert.Contains(config.Diagnostics, d => d.ToString().StartsWith("io_config.yaml:1:", StringComparison.Ordinal) && d.Message.Contains("nesting", StringComparison.Ordinal));
        Assert.Contains(diagnostics.Items, d => d.ToString().StartsWith("secrets.local.yaml:1:", StringComparison.Ordinal) && d.Message.Contains("nesting", StringComparison.Ordinal));
        Assert.Contains(diagnostics.Items, d => d.ToString().StartsWith("duraflow.yaml:1:", StringComparison.Ordinal) && d.Message.Contains("nesting", StringComparison.Ordinal));
    }

    [Fact]
    public void A_whole_project_with_a_deep_pipeline_validates_to_an_error_not_a_crash()
    {
        _project.Write("pipelines/deep/pipeline.yaml", "name: deep\nblocks: " + new string('[', Levels) + new string(']', Levels) + "\n");

        var validation = ProjectValidator.Validate(_project.Root, displayRoot: _project.Root);

        Assert.False(validation.IsValid);
        Assert.Contains(validation.Diagnostics, d => d.Code == DiagnosticCodes.YamlSyntax && d.Message.Contains("nesting", StringComparison.Ordinal));
    }

    [Fact]
    public void A_definition_file_over_the_size_bound_is_refused_before_parsing()
    {
        var yaml = "name: big\ndescription: \"" + new string('x', YamlDocuments.MaxCharacters) + "\"\n";

        var result = PipelineLoader.Parse(yaml, _project.PathOf("pipelines/big/pipeline.yaml"), "pipelines/big/pipeline.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains("more than the", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }
}
