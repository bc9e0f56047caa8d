using Duraflow.Blocks.Text;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;

namespace Duraflow.Api.Generation;

/// <summary>
/// The pipeline a block is generated into: checked before the model is asked (it exists and validates, the name and
/// file are free), described for the model, with a staged copy where each answer is validated, and written to once.
/// </summary>
internal sealed class GenerationTarget : IDisposable
{
    // One write at a time in this process: two generations into one pipeline (two API requests) cannot both pass the
    // check that pipeline.yaml is unchanged and then write over each other.
    private static readonly Lock Writing = new();
    private readonly DuraflowProject _project;
    private readonly GenerationRequest _request;
    private readonly StagedProject _staged;
    private readonly string _definitionPath;
    private readonly string _definition;
    private readonly string _edited;

    private GenerationTarget(DuraflowProject project, GenerationRequest request, StagedProject staged, string definition, string edited, PipelineContext context)
    {
        _project = project;
        _request = request;
        _staged = staged;
        _definitionPath = Path.Combine(project.Root, PipelineFolder(request), DuraflowProject.PipelineFileName);
        _definition = definition;
        _edited = edited;
        Context = context;
    }

    /// <summary>What the model is told about the pipeline.</summary>
    public PipelineContext Context { get; }

    /// <summary>The new block's file, relative to the project folder.</summary>
    public string DisplayFile => $"{PipelineFolder(_request)}/{GeneratedKinds.FileOf(_request.Kind, _request.Name)}";

    /// <summary>Checks the request against the project and describes the pipeline.</summary>
    /// <exception cref="GenerationException">No such pipeline, it does not validate, or the block or its file exists.</exception>
    public static async Task<GenerationTarget> OpenAsync(
        DuraflowProject project, CompiledBlocks? classes, string? profile, GenerationRequest request, RunCommitter? runs, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(project.Root, PipelineFolder(request));
        var definitionPath = Path.Combine(folder, DuraflowProject.PipelineFileName);
        if (!Engine.Definitions.Names.IsValid(request.Pipeline) || !File.Exists(definitionPath))
        {
            var names = project.PipelineFiles().Select(f => Path.GetFileName(Path.GetDirectoryName(f)!)).ToList();
            throw new GenerationException($"there is no pipeline '{request.Pipeline}'; {EditDistance.DidYouMean(request.Pipeline, names)}the pipelines are {(names.Count == 0 ? "none" : string.Join(", ", names))}");
        }

        var validation = ProjectValidator.Validate(folder, displayRoot: project.Root, profile: profile, classes: classes);
        var errors = validation.Diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0 || validation.Pipelines is not [{ Definition: { } definition, Graph: { } graph } pipeline])
        {
            throw new GenerationException(
                $"pipeline '{request.Pipeline}' does not validate; fix it first (duraflow validate), so that what is wrong with a generated block can be told apart:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        if (definition.Blocks.Any(b => b.Name == request.Name))
        {
            throw new GenerationException($"pipeline '{request.Pipeline}' already has a block '{request.Name}'; choose another name");
        }

        var file = GeneratedKinds.FileOf(request.Kind, request.Name);
        if (File.Exists(Path.Combine(folder, file)) || Directory.Exists(Path.Combine(folder, file)))
        {
            throw new GenerationException($"{PipelineFolder(request)}/{file} exists; choose another name, or delete the file first");
        }

        var text = File.ReadAllText(definitionPath);
        var edited = PipelineYamlEdit.AddBlock(text, request.Name, GeneratedKinds.UsesOf(request.Kind, request.Name));
        var (runId, outputs) = runs is null
            ? (null, new Dictionary<string, string>())
            : await UpstreamOutputs.ReadAsync(runs, request.Pipeline, cancellationToken).ConfigureAwait(false);
        var blocks = definition.Blocks.Select(b => new BlockContext(
            b.Name,
            b.Uses.ToString(),
            [.. graph.Upstream(b.Name).Select(u => u.Name)],
            b.Uses.IsFile && pipeline.Files.TryGetValue(b.Uses.Target, out var source) ? source : null,
            outputs.GetValueOrDefault(b.Name))).ToList();
        var context = new PipelineContext(request.Pipeline, text, blocks, runId);
        return new GenerationTarget(project, request, StagedProject.Copy(project, classes, profile), text, edited, context);
    }

    /// <summary>The errors of the pipeline with <paramref name="code"/> as the block's file; empty when it validates.</summary>
    public IReadOnlyList<string> Check(string code) =>
        _staged.Validate(_request.Pipeline, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DisplayFile] = code,
            [$"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName}"] = _edited,
        });

    /// <summary>Writes the validated <paramref name="code"/> and the edited pipeline.yaml, unless this is a dry run.</summary>
    /// <exception cref="GenerationException">pipeline.yaml changed meanwhile, or the project does not validate once written (then both are put back).</exception>
    public GenerationResult Finish(string code, int attempt)
    {
        var diff = TextDiff.Of(DisplayFile, null, code) + TextDiff.Of($"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName}", _definition, _edited);
        if (_request.DryRun)
        {
            return new GenerationResult(false, true, DisplayFile, code, diff, attempt, []);
        }

        lock (Writing)
        {
            Write(code);
        }

        return new GenerationResult(true, true, DisplayFile, code, diff, attempt, []);
    }

    private void Write(string code)
    {
        if (File.ReadAllText(_definitionPath) != _definition)
        {
            throw new GenerationException($"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName} changed while the block was generated; nothing was written, so run again");
        }

        var file = Path.Combine(_project.Root, DisplayFile);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            // CreateNew: a file that appeared meanwhile is not overwritten.
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(code);
            }
        }
        catch (IOException e) when (File.Exists(file))
        {
            throw new GenerationException($"{DisplayFile} appeared while the block was generated; nothing was written, so choose another name or delete it", e);
        }

        Replace(_definitionPath, _edited);
        if (_staged.ValidateProject(_request.Pipeline) is { Count: > 0 } problems)
        {
            // The copy validated but the project does not (a linked file, say): put the project back as it was.
            Replace(_definitionPath, _definition);
            File.Delete(file);
            throw new GenerationException(
                $"the block validated in a copy of the project but not in the project, so nothing was kept:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }
    }

    public void Dispose() => _staged.Dispose();

    private static string PipelineFolder(GenerationRequest request) => $"{DuraflowProject.PipelinesFolderName}/{request.Pipeline}";

    // Written beside and moved over, so a reader (the server's folder watcher, a run starting) sees the old file or the new one.
    private static void Replace(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
