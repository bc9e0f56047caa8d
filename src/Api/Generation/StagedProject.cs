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
    /// <exception cref="GenerationException">The pipelines folder is too large to copy.</exception>
    public static StagedProject Copy(DuraflowProject project, CompiledBlocks? classes, string? profile)
    {
        ArgumentNullException.ThrowIfNull(project);
        var root = Path.Combine(Path.GetTempPath(), "duraflow-generate-" + Guid.NewGuid().ToString("N"));
        var staged = new StagedProject(project, root, classes, profile);
        try
        {
            Directory.CreateDirectory(root);
            foreach (var file in new[] { DuraflowProject.SettingsFileName, DuraflowProject.IoConfigFileName })
            {
                if (File.Exists(Path.Combine(project.Root, file)))
                {
                    File.Copy(Path.Combine(project.Root, file), Path.Combine(root, file));
                }
            }

            var budget = (Files: MaxFiles, Bytes: MaxBytes);
            CopyFolder(Path.Combine(project.Root, DuraflowProject.PipelinesFolderName), Path.Combine(root, DuraflowProject.PipelinesFolderName), ref budget);
            return staged;
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
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(Root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        var folder = Path.Combine(Root, DuraflowProject.PipelinesFolderName, pipeline);
        var validation = ProjectValidator.Validate(folder, displayRoot: Root, profile: _profile, scripts: _scripts, classes: _classes);
        return [.. validation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())];
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

    // Files are copied by content, links followed, as the validator reads them; a linked folder is not entered, so a
    // link loop cannot make the copy endless.
    private static void CopyFolder(string from, string to, ref (int Files, long Bytes) budget)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var length = new FileInfo(file).Length;
            budget = (budget.Files - 1, budget.Bytes - length);
            if (budget.Files < 0 || budget.Bytes < 0)
            {
                throw new GenerationException(
                    $"the pipelines folder holds more than {MaxFiles} files or {MaxBytes / 1024 / 1024} MiB, too much to copy for validating a generated block; keep data outside pipelines/ (in data/, say)");
            }

            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            if (!new DirectoryInfo(folder).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)), ref budget);
            }
        }
    }
}
