using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Duraflow.Bench;

/// <summary>A one-line description of the machine a run was measured on, for the results to be read against.</summary>
internal static class MachineInfo
{
    public static string Describe() => OutcomeText.Invariant(
        $"{Environment.ProcessorCount} cores ({CpuModel()}), {TotalMemory()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite {SqliteVersion()}");

    private static string CpuModel() =>
        ProcFile("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string TotalMemory() =>
        ProcFile("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kib)
            ? OutcomeText.Invariant($"{kib / (1024.0 * 1024):0.0} GiB memory")
            : OutcomeText.Invariant($"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB memory available to .NET");

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }

    private static string? ProcFile(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
}
