using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;

namespace Duraflow.Api;

/// <summary>
/// The workspaces served beside the default one, from the configuration section <c>Duraflow:Workspaces</c> (a name
/// to a project folder each: what <c>duraflow serve --workspace NAME=FOLDER</c> sets, or an appsettings.json's
/// <c>"Workspaces": { "sales": "./sales" }</c>). Each must be a project of its own with a store of its own, so no
/// workspace can read another's runs through a shared file or table.
/// </summary>
internal sealed class WorkspaceFolders
{
    /// <summary>The configuration section.</summary>
    public const string Section = $"{ProjectOptions.Section}:Workspaces";

    /// <summary>The most workspaces one server serves: each has its own workers, triggers and store.</summary>
    public const int Most = 20;

    // How many links one path may lead through before it is taken as it stands.
    private const int MostLinks = 40;

    private WorkspaceFolders(IReadOnlyList<(string Name, string Root)> folders, IReadOnlyList<string> problems)
    {
        Folders = folders;
        Problems = problems;
    }

    /// <summary>Each workspace's name and the full path of its project folder, in name order.</summary>
    public IReadOnlyList<(string Name, string Root)> Folders { get; }

    /// <summary>What is wrong with the section, each naming its setting and the fix; empty when all is good.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Reads the section: relative folders are relative to <paramref name="contentRoot"/>, as <c>Duraflow:Project</c> is.</summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <param name="contentRoot">The app's content root.</param>
    /// <param name="defaultProject">The default workspace's project, whose folder and store no workspace may share.</param>
    public static WorkspaceFolders Read(IConfiguration configuration, string contentRoot, Func<DuraflowProject> defaultProject)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(defaultProject);
        var section = configuration.GetSection(Section);
        var children = section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        var folders = new List<(string Name, string Root)>();
        if (section.Value is { Length: > 0 })
        {
            // Duraflow__Workspaces=sales=./sales would otherwise serve nothing and say nothing.
            problems.Add($"{Section} is one value; name each workspace in a setting of its own: {Section}:NAME=FOLDER (Duraflow__Workspaces__sales=./sales)");
            return new WorkspaceFolders(folders, problems);
        }

        if (children.Count == 0)
        {
            return new WorkspaceFolders(folders, problems);
        }

        if (children.Count > Most)
        {
            problems.Add($"{Section} names {children.Count} workspaces; one server serves at most {Most}: serve the rest from another");
            return new WorkspaceFolders(folders, problems);
        }

        // Which store each workspace writes to, and who claimed it first: the default workspace, then by name.
        var stores = new Dictionary<string, string>(StringComparer.Ordinal);
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var project = defaultProject();
            var defaultRoot = Comparable(Resolved(project.Root));
            roots[defaultRoot] = $"the default workspace ({ProjectOptions.Section}:Project)";
            stores[StoreOf(project)] = roots[defaultRoot];
        }
        catch (Exception e) when (e is StoreSettingsException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The default project's own problem shows where it always does (/api/ready, the first request); the
            // workspaces are still checked against each other.
        }

        foreach (var child in children)
        {
            var setting = $"{Section}:{child.Key}";
            if (Problem(child, setting, contentRoot) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            var root = Resolved(Path.GetFullPath(Path.Combine(contentRoot, child.Value!)));
            if (roots.TryGetValue(Comparable(root), out var owner))
            {
                problems.Add($"{setting} is {root}, the folder of {owner}: each workspace needs a project folder of its own");
                continue;
            }

            roots[Comparable(root)] = $"workspace '{child.Key}'";
            var opened = DuraflowProject.Open(root);
            if (opened.SettingsDiagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } bad)
            {
                problems.Add($"{setting}: {bad}");
                continue;
            }

            var store = StoreOf(opened);
            if (stores.TryGetValue(store, out var sharer))
            {
                problems.Add($"{setting}: its duraflow.yaml's store ({store}) is the store of {sharer}; give it a store of its own (store.path, or store.prefix)");
                continue;
            }

            stores[store] = roots[Comparable(root)];
            folders.Add((child.Key, root));
        }

        return new WorkspaceFolders(folders, problems);
    }

    /// <summary>Throws the problems, so a server with a wrong workspace does not start.</summary>
    /// <exception cref="InvalidOperationException">A workspace is wrong; the message names each setting and its fix.</exception>
    public void ThrowProblems()
    {
        if (Problems.Count > 0)
        {
            throw new InvalidOperationException($"the workspaces are wrong, so nothing is served; fix them first:{Environment.NewLine}{string.Join(Environment.NewLine, Problems)}");
        }
    }

    private static string? Problem(IConfigurationSection child, string setting, string contentRoot)
    {
        if (WorkspaceNames.Problem(child.Key) is { } badName)
        {
            return $"{setting}: {badName}";
        }

        if (child.Key == ServedWorkspace.DefaultName)
        {
            return $"{setting}: '{ServedWorkspace.DefaultName}' is the project served at /api ({ProjectOptions.Section}:Project); choose another name";
        }

        if (child.GetChildren().Any() || string.IsNullOrWhiteSpace(child.Value))
        {
            return $"{setting} must be the path of a project folder, as in sales=./sales";
        }

        var root = Path.GetFullPath(Path.Combine(contentRoot, child.Value));
        return !Directory.Exists(root) ? $"{setting}: the folder {root} does not exist"
            : !DuraflowProject.IsProjectFolder(root) ? $"{setting}: {root} is not a project (it has no duraflow.yaml or pipelines folder); duraflow init makes one"
            : null;
    }

    // A path with every symbolic link in it followed, so no link (at its end or in a folder on the way) can make one
    // project, or one SQLite file, two workspaces'. Links that lead round in circles stop after a bound.
    private static string Resolved(string path) => Resolved(path, 0);

    private static string Resolved(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = depth < MostLinks && entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? Resolved(target.FullName, depth + 1)
                : next;
        }

        return current;
    }

    // Where a project's runs are kept: the SQLite file, or the Azure account setting and name prefix.
    // Compared in one case where file names or setting names do not tell case apart (the store reads its connection
    // setting ignoring case). Two setting names that hold one account are not told apart.
    private static string StoreOf(DuraflowProject project) => project.Settings.Store == StoreKind.Sqlite
        ? Comparable(Resolved(Path.Combine(project.Root, project.Settings.StorePath)))
        : $"azure {project.Settings.StoreConnection.ToLowerInvariant()}, prefix {project.Settings.StorePrefix.ToLowerInvariant()}";

    private static string Comparable(string path) => OperatingSystem.IsLinux() ? path : path.ToLowerInvariant();
}
