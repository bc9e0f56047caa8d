using System.Diagnostics;
using System.Globalization;

namespace Duraflow.Bench;

/// <summary>
/// Before each scenario of <c>bench all</c>: waits until the machine is idle, so a scenario is never measured beside
/// the tail of the one before (a child process still exiting, a server still busy) or beside other work on the
/// machine. Idle means less than <see cref="Threshold"/> of all cores busy over one <see cref="Window"/>, as
/// /proc/stat counts it. After the cap the scenario runs anyway, and the caller notes how busy the machine was.
/// </summary>
internal static class IdleCheck
{
    /// <summary>The busy fraction of all cores below which the machine counts as idle.</summary>
    public const double Threshold = 0.15;

    private const string Stat = "/proc/stat";

    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Null once the machine is idle, or at once where /proc/stat does not exist (not Linux); otherwise, when
    /// <paramref name="cap"/> has passed, how busy the machine still was.
    /// </summary>
    public static async Task<string?> WaitAsync(TimeSpan cap)
    {
        if (!File.Exists(Stat))
        {
            return null;
        }

        var waited = Stopwatch.StartNew();
        var before = Read();
        while (true)
        {
            await Task.Delay(Window);
            var after = Read();
            var busy = after.BusyFractionSince(before);
            if (busy < Threshold)
            {
                return null;
            }

            if (waited.Elapsed >= cap)
            {
                return OutcomeText.Invariant(
                    $"{busy * 100:0}% of {Environment.ProcessorCount} cores busy over {Window.TotalMilliseconds:0} ms after waiting {waited.Elapsed.TotalSeconds:0} s (load average {LoadAverage()})");
            }

            before = after;
        }
    }

    private static CpuTimes Read() => CpuTimes.Parse(File.ReadLines(Stat).First());

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

/// <summary>The machine's CPU time since boot, all cores together, in clock ticks: the first line of /proc/stat.</summary>
internal readonly record struct CpuTimes(long Busy, long Total)
{
    /// <summary>Reads <c>cpu user nice system idle iowait irq softirq steal guest guest_nice</c> (older kernels stop earlier).</summary>
    public static CpuTimes Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0] != "cpu")
        {
            throw new FormatException($"not the first line of /proc/stat: '{line}'");
        }

        // guest and guest_nice are counted in user and nice already, so they stay out of the total. Only idle counts
        // as idle: iowait is a core waiting for the disk, and a disk still busy with other work slows the SQLite
        // FULL rows as much as a busy core would.
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToList();
        var total = ticks.Sum();
        return new CpuTimes(total - ticks[3], total);
    }

    /// <summary>The fraction of all cores that were busy between <paramref name="earlier"/> and this sample; 0 when no tick passed.</summary>
    public double BusyFractionSince(CpuTimes earlier) =>
        Total > earlier.Total ? (double)(Busy - earlier.Busy) / (Total - earlier.Total) : 0;
}
