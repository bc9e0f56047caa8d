namespace Duraflow.Bench;

/// <summary>
/// Writes a <c>bench all</c> table into docs/performance.md between two markers, replacing what was there, with the
/// command, the machine and the date, so the document always holds the latest run. Without the markers, the section
/// is appended to the end. The run's chart (<see cref="PerformanceChart"/>) goes next to the document.
/// </summary>
internal static class PerformanceDoc
{
    private const string Start = "<!-- bench:all:start -->";
    private const string End = "<!-- bench:all:end -->";

    public static string Write(string table, string command, DateTime written)
    {
        var file = Locate();
        var section = string.Join('\n',
            Start,
            OutcomeText.Invariant($"Latest run: {written:yyyy-MM-dd HH:mm} UTC, on {MachineInfo.Describe()}."),
            "",
            "```bash",
            command,
            "```",
            "",
            table.TrimEnd(),
            End);
        var text = File.ReadAllText(file);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? string.Concat(text.AsSpan(0, start), section, text.AsSpan(end + End.Length))
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>docs/performance.md in the working directory or the nearest folder above it that has one.</summary>
    private static string Locate()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "performance.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/performance.md was not found in the working directory or above it");
    }
}
