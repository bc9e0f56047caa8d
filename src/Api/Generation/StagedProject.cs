using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;

namespace Duraflow.Api.Generation;

/// <summary>
/// A copy of a project's definitions (duraflow.yaml, io_config.yaml and the pipelines folder) in a temporary folder,
/// where a generated block is written and validated, so the user's files are touched only by a block that validates.
/// Data, the store and secrets are not copied: validation reads none of them.
/// </summary>
internal sealed class StagedProject : IDisposable
{
    private const int MaxFiles = 10_000;
    private const long MaxBytes = 128L * 1024 * 1024;
    private readonly DuraflowProject _project;
    private readonly CompiledBlocks? _classes;
    private readonly string? _profile;
    private readonly ScriptCompiler _scripts;

    private StagedProject(DuraflowProject project, string root, CompiledBlocks? classes, string? profile)
    {
        _project = project;
        Root = root;
        _classes = classes;
        _profile = profile;

        // The project's own cache: what compiles here is what its runs load, compiled once.
        _scripts = new ScriptCompiler(project.ScriptCacheDirectory);
    }

    /// <summary>The copy's folder.</summary>
    public string Root { get; }

    /// <summary>Copies <paramref name="project"/>'s definitions.</summary>
    /// <exception cref="GenerationException">The pipelines folder is too large to copy, or cannot be read.</exception>
    public static StagedProject Copy(DuraflowProject project, CompiledBlocks? classes, string? profile)
    {
        ArgumentNullException.ThrowIfNull(project);
        var root = Path.Combine(Path.GetTempPath(), "duraflow-generate-" + Guid.NewGuid().ToString("N"));
        var staged = new StagedProject(project, root, classes, profile);
        try
        {
            // Only this user reads the copy: it holds io_config.yaml, whose settings may name hosts and accounts.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(root);
            }
            else
            {
                Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var budget = new CopyBudget();
            foreach (var file in new[] { DuraflowProject.SettingsFileName, DuraflowProject.IoConfigFileName })
            {
                CopyFile(Path.Combine(project.Root, file), Path.Combine(root, file), budget);
            }

            CopyFolder(Path.Combine(project.Root, DuraflowProject.PipelinesFolderName), Path.Combine(root, DuraflowProject.PipelinesFolderName), budget, depth: 0);
            return staged;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            staged.Dispose();
            throw new GenerationException($"the project's definitions could not be copied for validating a generated block: {e.Message}", GenerationFailure.Refused, e);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every error of pipeline <paramref name="pipeline"/> with <paramref name="files"/> written over the copy (paths
    /// relative to the project folder), as <c>duraflow validate</c> words them.
    /// </summary>
    public IReadOnlyList<string> Validate(string pipeline, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        try
        {
            foreach (var (path, text) in files)
            {
                var full = Path.Combine(Root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenerationException($"the generated block could not be written into the copy of the project it is validated in: {e.Message}", GenerationFailure.Refused, e);
        }

        var folder = Path.Combine(Root, DuraflowProject.PipelinesFolderName, pipeline);
        var validation = ProjectValidator.Validate(folder, displayRoot: Root, profile: _profile, scripts: _scripts, classes: _classes);
        return [.. validation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())];
    }

    /// <summary>
    /// Copies the files that the scripts of <paramref name="pipeline"/> bring in with <c>#load</c> from outside the
    /// pipelines folder (shared helpers), so the pipeline validates in the copy as it does in the project.
    /// </summary>
    public void CopyLoads(ValidatedPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(_project.Root, pipeline.DisplayPath)))!;
        foreach (var (relative, text) in pipeline.Files.Where(f => f.Key.EndsWith(".csx", StringComparison.Ordinal)))
        {
            var script = Path.GetFullPath(Path.Combine(folder, relative));
            foreach (var (_, path, loaded) in ScriptLoads.Of(text, script, _project.Root).Where(l => l.Text is not null))
            {
                var inProject = Path.GetRelativePath(_project.Root, path);
                var copy = Path.Combine(Root, inProject);
                if (!inProject.StartsWith("..", StringComparison.Ordinal) && !File.Exists(copy))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.WriteAllText(copy, loaded);
                }
            }
        }
    }

    /// <summary>The errors of pipeline <paramref name="pipeline"/> in the project itself, named as the user sees them.</summary>
    public IReadOnlyList<string> ValidateProject(string pipeline) =>
        [.. ProjectValidator.Validate(Path.Combine(_project.Root, DuraflowProject.PipelinesFolderName, pipeline), displayRoot: _project.Root, profile: _profile, scripts: _scripts, classes: _classes)
            .Diagnostics.Where(d => d.IsError).Select(d => d.ToString())];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A copy left in the temporary folder holds definitions only, and the system clears it.
        }
    }

    // Files are copied by content, links followed, as the validator reads them, within one budget of files and bytes
    // counted as they are copied: a link to a device cannot fill the disk. Folders are entered to a depth no project
    // needs, so a link loop ends.
    private static void CopyFolder(string from, string to, CopyBudget budget, int depth)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        if (depth > MaxDepth)
        {
            throw new GenerationException($"the pipelines folder nests deeper than {MaxDepth} folders (a folder linked into itself?); generation copies it to validate a block");
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            CopyFile(file, Path.Combine(to, Path.GetFileName(file)), budget);
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)), budget, depth + 1);
        }
    }

    // A file the system gives no length (a FIFO, a device) is copied as empty, without opening it: reading one could
    // block for ever or never end, and validation reads definitions, which are regular files.
    private static void CopyFile(string from, string to, CopyBudget budget)
    {
        if (!File.Exists(from))
        {
            return;
        }

        budget.Take(files: 1, bytes: 0);
        // The length of what a link points at, not of the link itself.
        var info = new FileInfo(from);
        var length = (info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.Length ?? 0;
        using var target = new FileStream(to, FileMode.CreateNew, FileAccess.Write);
        if (length == 0)
        {
            return;
        }

        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            budget.Take(files: 0, bytes: read);
            target.Write(buffer, 0, read);
        }
    }

    private const int MaxDepth = 16;

    private sealed class CopyBudget
    {
        private int _files = MaxFiles;
        private long _bytes = MaxBytes;

        public void Take(int files, long bytes)
        {
            _files -= files;
            _bytes -= bytes;
            if (_files < 0 || _bytes < 0)
            {
                throw new GenerationException(
                    $"the pipelines folder holds more than {MaxFiles} files or {MaxBytes / 1024 / 1024} MiB, too much to copy for validating a generated block; keep data outside pipelines/ (in data/, say)");
            }
        }
    }
}
