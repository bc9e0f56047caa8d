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
            throw new GenerationException(
                $"there is no pipeline '{request.Pipeline}'; {EditDistance.DidYouMean(request.Pipeline, names)}the pipelines are {(names.Count == 0 ? "none" : string.Join(", ", names))}",
                GenerationFailure.NoPipeline);
        }

        var validation = ProjectValidator.Validate(folder, displayRoot: project.Root, profile: profile, classes: classes);
        var errors = validation.Diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0 || validation.Pipelines is not [{ Definition: { } definition, Graph: { } graph } pipeline])
        {
            throw new GenerationException(
                $"pipeline '{request.Pipeline}' does not validate; fix it first (duraflow validate), so that what is wrong with a generated block can be told apart:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(MaxProblems))}{(errors.Count > MaxProblems ? $"{Environment.NewLine}… and {errors.Count - MaxProblems} more errors" : "")}");
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

        var fileFolder = Path.GetDirectoryName(file)!;
        if (File.Exists(Path.Combine(folder, fileFolder)))
        {
            throw new GenerationException($"{PipelineFolder(request)}/{fileFolder} is a file, where the block's folder goes; rename or move it first");
        }

        ThrowIfReadOnly(definitionPath, $"{PipelineFolder(request)}/{DuraflowProject.PipelineFileName}");
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
        var staged = StagedProject.Copy(project, classes, profile);
        try
        {
            // The copy must say what the project says, or the model would be blamed for what the copy lacks.
            staged.CopyLoads(pipeline);
            if (staged.Validate(request.Pipeline, new Dictionary<string, string>()) is { Count: > 0 } lacking)
            {
                throw new GenerationException(
                    $"pipeline '{request.Pipeline}' validates in the project but not in the copy that generated blocks are checked in, so no block could be checked:{Environment.NewLine}{string.Join(Environment.NewLine, lacking)}");
            }

            return new GenerationTarget(project, request, staged, text, edited, context);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The errors of the pipeline with <paramref name="code"/> as the block's file, at most <see cref="MaxProblems"/>
    /// of them and a count of the rest; empty when it validates.
    /// </summary>
    public IReadOnlyList<string> Check(string code)
    {
        var problems = _staged.Validate(_request.Pipeline, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DisplayFile] = code,
            [$"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName}"] = _edited,
        });

        // Validation reads a SQL block's templates, not its SQL: the embedded engine's parser reads that.
        if (problems.Count == 0 && _request.Kind == GeneratedKind.Sql && Blocks.Sql.SqlSyntax.Problem(code) is { } syntax)
        {
            problems = [$"{DisplayFile}: error: the query does not parse: {syntax}"];
        }

        // A file of garbage can have thousands of errors; the first ones are what a model (or a person) fixes first.
        return problems.Count <= MaxProblems ? problems : [.. problems.Take(MaxProblems), $"… and {problems.Count - MaxProblems} more errors"];
    }

    /// <summary>The most errors of one answer sent back or shown.</summary>
    public const int MaxProblems = 20;

    /// <summary>Writes the validated <paramref name="code"/> and the edited pipeline.yaml, unless this is a dry run.</summary>
    /// <exception cref="GenerationException">pipeline.yaml changed meanwhile, or the project does not validate once written (then both are put back).</exception>
    public GenerationResult Finish(string code, int attempt)
    {
        var diff = TextDiff.Of(DisplayFile, null, code) + TextDiff.Of($"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName}", _definition, _edited);
        if (_request.DryRun)
        {
            return new GenerationResult(false, true, DisplayFile, code, diff, attempt, []);
        }

        // The file lock first: waiting for another process must not hold this process's other generations.
        using (ProjectFileWrites.Lock(_project))
        {
            lock (Writing)
            {
                Write(code);
            }
        }

        return new GenerationResult(true, true, DisplayFile, code, diff, attempt, []);
    }

    private void Write(string code)
    {
        var definitionFile = $"{PipelineFolder(_request)}/{DuraflowProject.PipelineFileName}";
        if (File.ReadAllText(_definitionPath) != _definition)
        {
            throw new GenerationException($"{definitionFile} changed while the block was generated; nothing was written, so run again");
        }

        ThrowIfReadOnly(_definitionPath, definitionFile);
        var file = Path.Combine(_project.Root, DisplayFile);
        var folder = Path.GetDirectoryName(file)!;
        var newFolder = !Directory.Exists(folder);
        var created = false;
        try
        {
            // CreateNew: a file that appeared meanwhile is not overwritten.
            Directory.CreateDirectory(folder);
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            created = true;
            using var writer = new StreamWriter(stream);
            writer.Write(code);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                Remove(file, newFolder);
            }

            throw new GenerationException(!created && File.Exists(file)
                ? $"{DisplayFile} appeared while the block was generated; nothing was written, so choose another name or delete it"
                : $"{DisplayFile} could not be written ({e.Message}); nothing was written",
                GenerationFailure.Refused,
                e);
        }

        try
        {
            ProjectFileWrites.Replace(_definitionPath, _edited);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(file, newFolder);
            throw new GenerationException($"{definitionFile} could not be written ({e.Message}); nothing was kept", GenerationFailure.Refused, e);
        }

        if (_staged.ValidateProject(_request.Pipeline) is { Count: > 0 } problems)
        {
            // The copy validated but the project does not: put the project back as it was, unless someone has
            // edited pipeline.yaml since, whose edit stays.
            if (File.ReadAllText(_definitionPath) == _edited)
            {
                ProjectFileWrites.Replace(_definitionPath, _definition);
            }

            Remove(file, newFolder);
            throw new GenerationException(
                $"the block validated in a copy of the project but not in the project, so nothing was kept:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }
    }

    public void Dispose() => _staged.Dispose();

    // Nothing of a failed write stays: the file, and its folder when this write made it and nothing else came in since.
    private static void Remove(string file, bool folderToo)
    {
        File.Delete(file);
        var folder = Path.GetDirectoryName(file)!;
        try
        {
            if (folderToo && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // Something was written into it meanwhile: the folder is someone's now, and stays.
        }
    }

    // Whether this process may write the file, asked of the system (owner, group, ACLs, a read-only mount) by opening it
    // for writing without writing: a rename over it would otherwise go around its permissions.
    private static void ThrowIfReadOnly(string path, string shown)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenerationException($"{shown} is not writable by this user; make it writable to add a block to it", GenerationFailure.Refused, e);
        }
    }

    private static string PipelineFolder(GenerationRequest request) => $"{DuraflowProject.PipelinesFolderName}/{request.Pipeline}";
}
