using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Projects;

/// <summary>
/// The files a project's definitions are made of, and a stamp of them: what validation reads (duraflow.yaml,
/// io_config.yaml and secrets.local.yaml at the root, everything under <c>pipelines/</c>, where every file a block
/// uses must be) and the sources of the compiled blocks under <c>blocks/</c>. Other files at the root (a SQLite store
/// placed there, block outputs), build output (<c>bin/</c>, <c>obj/</c>), hidden folders such as <c>.duraflow/</c>
/// (the runs themselves) and data folders are not part of it, so running a pipeline or dropping files into a watched
/// folder never looks like an edit.
/// </summary>
internal static class ProjectFiles
{
    private static readonly string[] SkippedFolders = ["bin", "obj"];

    /// <summary>The files at the project's root that validation reads.</summary>
    private static readonly string[] RootDefinitionFiles =
        [DuraflowProject.SettingsFileName, DuraflowProject.IoConfigFileName, LocalFileSecrets.FileName];

    /// <summary>
    /// A value that changes when any definition file is added, removed, resized or written: each file's path, size and
    /// last write time. Reading it costs a directory walk and no file contents.
    /// </summary>
    public static string Stamp(string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        var files = RootFiles(projectRoot);
        foreach (var folder in new[] { DuraflowProject.PipelinesFolderName, BlocksBuilder.FolderName }.Select(f => Path.Combine(projectRoot, f)).Where(Directory.Exists))
        {
            files = files.Concat(SourceFiles(folder));
        }

        return StampOf(files);
    }

    /// <summary>
    /// The part of <see cref="Stamp"/> that covers the files at the project's root only (duraflow.yaml, io_config.yaml,
    /// secrets.local.yaml): what the connections and secrets of blocks are read from. It costs three file lookups, so
    /// a worker can check it at every block attempt; an edit to a pipeline does not change it.
    /// </summary>
    public static string SettingsStamp(string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        return StampOf(RootFiles(projectRoot));
    }

    /// <summary>Every file under <paramref name="directory"/>, leaving out build output and hidden folders.</summary>
    public static IEnumerable<string> SourceFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            yield return file;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedFolders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var file in SourceFiles(child))
            {
                yield return file;
            }
        }
    }

    private static IEnumerable<string> RootFiles(string projectRoot) => RootDefinitionFiles.Select(name => Path.Combine(projectRoot, name));

    private static string StampOf(IEnumerable<string> files)
    {
        var stamp = new System.Text.StringBuilder();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            stamp.Append(file).Append('|');
            if (info.Exists)
            {
                stamp.Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks);
            }

            stamp.Append('\n');
        }

        return stamp.ToString();
    }
}
