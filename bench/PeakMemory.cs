using System.Globalization;

namespace Duraflow.Bench;

/// <summary>
/// The process's peak resident memory over one scenario. On Linux, writing "5" to /proc/self/clear_refs resets the
/// kernel's high-water mark (VmHWM) to the current resident size, so VmHWM read afterwards is the peak of that
/// scenario alone. Where that fails (not Linux, or a kernel that refuses), it falls back to the GC's committed heap
/// after the scenario (<see cref="GC.GetGCMemoryInfo()"/>), which is not a peak and misses native memory;
/// <see cref="Source"/> says which was used.
/// </summary>
internal sealed class PeakMemory
{
    private readonly bool _kernel;

    private PeakMemory(bool kernel) => _kernel = kernel;

    public string Source => _kernel ? "VmHWM" : "GC committed";

    public static PeakMemory Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return new PeakMemory(ReadHighWaterMark() is not null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PeakMemory(false);
        }
    }

    /// <summary>Peak bytes since <see cref="Reset"/>.</summary>
    public long Bytes() => _kernel && ReadHighWaterMark() is { } bytes ? bytes : GC.GetGCMemoryInfo().TotalCommittedBytes;

    private static long? ReadHighWaterMark()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kib is null ? null : long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
    }
}
