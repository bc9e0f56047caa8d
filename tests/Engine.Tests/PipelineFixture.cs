using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests;

/// <summary>Writes a pipeline folder for one test and validates it.</summary>
internal sealed class PipelineFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public string PipelineFile => _folder.PathOf("pipeline.yaml");

    public PipelineFixture File(string relativePath, string content)
    {
        _folder.Write(relativePath, content);
        return this;
    }

    /// <summary>Validates pipeline.yaml with the display path "p/pipeline.yaml", so expected locations are short.</summary>
    public ValidatedPipeline Validate(string yaml, ScriptCompiler? scripts = null, CompiledBlocks? classes = null)
    {
        _folder.Write("pipeline.yaml", yaml);
        return PipelineValidator.Validate(PipelineFile, "p/pipeline.yaml", scripts, classes);
    }

    public static ValidatedPipeline Check(string yaml, params (string Path, string Content)[] files)
    {
        using var fixture = new PipelineFixture();
        foreach (var (path, content) in files)
        {
            fixture.File(path, content);
        }

        return fixture.Validate(yaml);
    }

    public void Dispose() => _folder.Dispose();
}
