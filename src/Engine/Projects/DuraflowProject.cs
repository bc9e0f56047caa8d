using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Projects;

/// <summary>A project folder: optional duraflow.yaml and io_config.yaml, and <c>pipelines/NAME/pipeline.yaml</c>.</summary>
internal sealed class DuraflowProject
{
    /// <summary>The project settings file name.</summary>
    public const string SettingsFileName = "duraflow.yaml";

    /// <summary>The connections file, io_config.yaml (read by <c>Connections.IoConfig</c>).</summary>
    public const string IoConfigFileName = "io_config.yaml";

    /// <summary>The folder holding one folder per pipeline.</summary>
    public const string PipelinesFolderName = "pipelines";

    /// <summary>The definition file of each pipeline.</summary>
    public const string PipelineFileName = "pipeline.yaml";

    /// <summary>The project's folder of local state, <c>.duraflow</c>.</summary>
    public const string LocalFolderName = ".duraflow";

    // Set only by WithLocalDirectory; null means the folder follows from the store settings.
    private readonly string? _localDirectory;

    private DuraflowProject(string root, ProjectSettings settings, IReadOnlyList<Diagnostic> diagnostics, string? localDirectory = null)
    {
        Root = root;
        Settings = settings;
        SettingsDiagnostics = diagnostics;
        _localDirectory = localDirectory;
    }

    /// <summary>The full path of the project folder.</summary>
    public string Root { get; }

    /// <summary>The settings from duraflow.yaml, or defaults.</summary>
    public ProjectSettings Settings { get; }

    /// <summary>Problems found in duraflow.yaml.</summary>
    public IReadOnlyList<Diagnostic> SettingsDiagnostics { get; }

    /// <summary>
    /// The full path of the folder for this machine's files of the project: the folder of the SQLite file with the
    /// sqlite store (<c>.duraflow</c> by default), and <c>.duraflow</c> with the azure store, whose runs and outputs
    /// live in the storage account but whose script cache and block scratch files are local; or the folder given to
    /// <see cref="WithLocalDirectory"/>.
    /// </summary>
    public string LocalDirectory =>
        _localDirectory
        ?? (Settings.Store == StoreKind.Sqlite
            ? Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Root, Settings.StorePath))) ?? Root
            : Path.Combine(Root, LocalFolderName));

    /// <summary>
    /// The full path of the folder where compiled C# scripts are kept between processes: <c>cache/scripts</c> in
    /// <see cref="LocalDirectory"/>, so <c>.duraflow/cache/scripts</c> by default.
    /// </summary>
    public string ScriptCacheDirectory => Path.Combine(LocalDirectory, "cache", "scripts");

    /// <summary>True when <paramref name="directory"/> looks like a project: it has duraflow.yaml or a pipelines folder.</summary>
    public static bool IsProjectFolder(string directory) =>
        File.Exists(Path.Combine(directory, SettingsFileName)) || Directory.Exists(Path.Combine(directory, PipelinesFolderName));

    /// <summary>The nearest project folder at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (IsProjectFolder(directory.FullName))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Opens the project at <paramref name="root"/>, reading duraflow.yaml when there is one.</summary>
    /// <param name="root">The project folder.</param>
    /// <param name="displayRoot">Files are named relative to this folder in diagnostics; default: the current directory.</param>
    public static DuraflowProject Open(string root, string? displayRoot = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var fullRoot = Path.GetFullPath(root);
        var settingsPath = Path.Combine(fullRoot, SettingsFileName);
        var diagnostics = new DiagnosticBag();
        var settings = File.Exists(settingsPath)
            ? ProjectSettingsReader.Read(settingsPath, DisplayPaths.For(settingsPath, displayRoot), diagnostics)
            : ProjectSettings.Default;
        return new DuraflowProject(fullRoot, settings, diagnostics.Items);
    }

    /// <summary>
    /// This project with its runs in <paramref name="store"/> whatever duraflow.yaml says, as <c>--store</c> asks;
    /// the other settings, and the problems found in duraflow.yaml, stay.
    /// </summary>
    public DuraflowProject WithStore(StoreKind store) =>
        store == Settings.Store ? this : new DuraflowProject(Root, Settings with { Store = store }, SettingsDiagnostics, _localDirectory);

    /// <summary>
    /// This project with the azure store's tables, queues and container named by <paramref name="prefix"/> whatever
    /// duraflow.yaml says; the store checks the prefix when it opens.
    /// </summary>
    public DuraflowProject WithStorePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix == Settings.StorePrefix ? this : new DuraflowProject(Root, Settings with { StorePrefix = prefix }, SettingsDiagnostics, _localDirectory);
    }

    /// <summary>This project with its new runs on <paramref name="runtime"/> whatever duraflow.yaml's <c>runtime:</c> says.</summary>
    public DuraflowProject WithRuntime(RuntimeKind runtime) =>
        runtime == Settings.Runtime ? this : new DuraflowProject(Root, Settings with { Runtime = runtime }, SettingsDiagnostics, _localDirectory);

    /// <summary>
    /// This project with its machine-local files (script cache, block scratch files, and with the sqlite store block
    /// outputs) in <paramref name="directory"/>, for hosts whose project folder is read-only; a relative path is taken
    /// relative to <see cref="Root"/>. The SQLite file stays where <c>store.path</c> says.
    /// </summary>
    public DuraflowProject WithLocalDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new DuraflowProject(Root, Settings, SettingsDiagnostics, Path.GetFullPath(Path.Combine(Root, directory)));
    }

    /// <summary>The pipeline.yaml of every pipeline folder, ordered by folder name.</summary>
    public IReadOnlyList<string> PipelineFiles()
    {
        var folder = Path.Combine(Root, PipelinesFolderName);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return
        [
            .. Directory.EnumerateDirectories(folder)
                .Select(d => Path.Combine(d, PipelineFileName))
                .Where(File.Exists)
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>The pipeline.yaml of the pipeline whose folder is <paramref name="name"/>, or null.</summary>
    public string? PipelineFile(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = Path.Combine(Root, PipelinesFolderName, name, PipelineFileName);
        return Definitions.Names.IsValid(name) && File.Exists(path) ? path : null;
    }
}
