using System.Diagnostics;
using System.Globalization;
using System.Text;
using Duraflow.Blocks;

namespace Duraflow.Bench;

/// <summary>
/// Streams a large CSV through a pipeline as a user runs it (<c>duraflow run</c>): csv.read into a table, a C# script
/// that filters and tidies the rows as <c>IEnumerable&lt;Order&gt;</c>, and parquet.write. Measures the process's peak
/// resident memory (goal: under 1 GiB at 5 million rows) and compares the time with the floor of DuckDB converting
/// the same CSV to Parquet directly.
/// </summary>
internal sealed class TablesScenario(int rows)
{
    private const string Script = """
        // Drops test orders and trims names, one row at a time.
        public record Order(long OrderId, DateOnly OrderDate, string Customer, decimal Amount, string Currency);

        return Input<IEnumerable<Order>>("load")
            .Where(order => order.Amount >= 1)
            .Select(order => order with { Customer = order.Customer.Trim() });
        """;

    public string Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "duraflow-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var (csv, kept) = WriteProject(folder);
            var floor = TimeFloor(csv, Path.Combine(folder, "floor.parquet"));
            var (elapsed, peak) = RunPipeline(folder);
            var written = new Table(Path.Combine(folder, "output", "clean.parquet")).CountRows();
            if (written != kept)
            {
                throw new InvalidOperationException($"the pipeline wrote {written} rows; {kept} were expected");
            }

            return Report(new FileInfo(csv).Length, written, floor, elapsed, peak);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private (string Csv, long Kept) WriteProject(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "pipelines", "big", "blocks"));
        File.WriteAllText(Path.Combine(folder, "duraflow.yaml"), "workers: { parallelism: 2 }\n");
        File.WriteAllText(Path.Combine(folder, "pipelines", "big", "blocks", "clean.csx"), Script);
        File.WriteAllText(Path.Combine(folder, "pipelines", "big", "pipeline.yaml"), """
            name: big
            blocks:
              - { name: load, uses: csv.read, with: { path: data/orders.csv } }
              - { name: clean, uses: "script:blocks/clean.csx" }
              - { name: save, uses: parquet.write, with: { input: "{{ blocks.clean }}", path: output/clean.parquet } }
            """);

        var csv = Path.Combine(folder, "data", "orders.csv");
        long kept = 0;
        using var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("order_id,order_date,customer,amount,currency\n");
        var day = new DateOnly(2026, 1, 1);
        for (var i = 0; i < rows; i++)
        {
            // Every tenth order is a 0.50 test order that the script drops.
            var amount = i % 10 == 0 ? 0.5m : 1m + (i % 9973 / 100m);
            kept += amount >= 1 ? 1 : 0;
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{i},{day.AddDays(i % 365):yyyy-MM-dd}, customer {i % 50000} ,{amount:0.00},{(i % 3 == 0 ? "USD" : "EUR")}\n"));
        }

        return (csv, kept);
    }

    private static TimeSpan TimeFloor(string csv, string parquet)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"copy (select * from read_csv('{csv}', header = true)) to '{parquet}' (format parquet, compression zstd)";
        command.ExecuteNonQuery();
        return clock.Elapsed;
    }

    /// <summary>Runs <c>duraflow run big</c> and samples its peak resident set (VmHWM) until it exits.</summary>
    private static (TimeSpan Elapsed, long PeakBytes) RunPipeline(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "duraflow.dll"));
        foreach (var argument in new[] { "run", "big", "--project", folder })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakResident(process.Id));
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"duraflow run exited {process.ExitCode}: {output.Result}{errors.Result}");
        }

        return (clock.Elapsed, peak);
    }

    private static long PeakResident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private string Report(long csvBytes, long written, TimeSpan floor, TimeSpan elapsed, long peak) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {rows:N0} rows of CSV ({csvBytes / 1024.0 / 1024:N0} MiB) -> csv.read -> C# script (IEnumerable<Order>) -> parquet.write; {written:N0} rows written

            | measurement | value | ratio |
            |---|---|---|
            | DuckDB CSV -> Parquet directly (floor) | {floor.TotalSeconds:N1} s | 1.0x |
            | `duraflow run` end to end | {elapsed.TotalSeconds:N1} s | {elapsed / floor:N1}x |
            | peak resident memory of `duraflow run` | {peak / 1024.0 / 1024:N0} MiB | {peak / (1024.0 * 1024 * 1024):P0} of the 1 GiB budget |

            """);
}
