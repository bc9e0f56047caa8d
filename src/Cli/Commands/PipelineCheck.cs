using Duraflow.Blocks.Scripts;
using Duraflow.Cli.Output;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;

namespace Duraflow.Cli.Commands;

/// <summary>
/// Validates one pipeline with its project before a run starts or is retried on refreshed files: connections against
/// io_config.yaml's profile, scripts compiled into the project's cache (which the workers then load), the blocks/
/// project built. Problems are printed; a pipeline that could not get far does not start.
/// </summary>
internal sealed class PipelineCheck
{
    private PipelineCheck(ScriptCompiler scripts, CompiledBlocks classes, ValidatedPipeline? pipeline)
    {
        Scripts = scripts;
        Classes = classes;
        Pipeline = pipeline;
    }

    /// <summary>The compiler used, to hand to the workers.</summary>
    public ScriptCompiler Scripts { get; }

    /// <summary>The compiled blocks found, to hand to the workers.</summary>
    public CompiledBlocks Classes { get; }

    /// <summary>The valid pipeline, or null when problems were printed.</summary>
    public ValidatedPipeline? Pipeline { get; }

    /// <summary>
    /// Validates the pipeline.yaml at <paramref name="file"/> of <paramref name="project"/> for <paramref name="profile"/>,
    /// printing problems on <paramref name="terminal"/>; with <paramref name="json"/> (the command prints JSON) the
    /// warnings of duraflow.yaml stay out, as `duraflow validate` shows them.
    /// </summary>
    public static PipelineCheck Run(Terminal terminal, string file, DuraflowProject project, string? profile, bool json)
    {
        var scripts = new ScriptCompiler(project.ScriptCacheDirectory);
        var classes = CompiledBlocks.ForProject(project.Root, building: terminal.Hint);
        var validation = ProjectValidator.Validate(file, profile: profile, scripts: scripts, classes: classes);

        // duraflow.yaml's problems too, since it picks the store: a prefix that did not read must not fall back to another.
        var settingsProblems = project.SettingsDiagnostics.Where(d => d.IsError || !json);
        var valid = DiagnosticSummary.Print(terminal, [.. settingsProblems, .. validation.Diagnostics]) && validation.IsValid;
        return new PipelineCheck(scripts, classes, valid ? validation.Pipelines[0] : null);
    }
}
