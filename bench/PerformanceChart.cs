using System.Globalization;
using System.Security;
using System.Text;

namespace Duraflow.Bench;

/// <summary>
/// The chart of a <c>bench all --write</c> run, docs/performance-chart.svg: blocks/s of each whole-run scenario (one
/// group per shape and size) on each store, runtime and peer (one bar each), as horizontal bars on a log scale, since
/// the rates span three decades. A row that did not finish (or failed) is a hatched marker with its reason. The SVG is
/// written by hand and depends only on the outcomes and the run's date: fixed order, invariant culture, coordinates
/// rounded to a tenth of a pixel, so one run's chart diffs line by line against the last.
/// </summary>
internal static class PerformanceChart
{
    public const string FileName = "performance-chart.svg";

    private const double Width = 890;
    private const double Left = 250;
    private const double PlotWidth = 560;
    private const double Top = 60;
    private const double GroupHead = 20;
    private const double BarRow = 16;
    private const double BarHeight = 12;
    private const double GroupGap = 10;
    private const double MarkerWidth = 36;
    private const int LongestReason = 72;

    private static readonly string[] Shapes = ["chain", "fanout", "runs", "dag"];

    /// <summary>The stores, runtimes and peers in the order of their bars, with a label and a colour; others follow.</summary>
    private static readonly (string Store, string Label, string Colour)[] Known =
    [
        (BenchStore.SqliteFull.Name(), "SQLite FULL", "#1f5fa8"),
        (BenchStore.SqliteNormal.Name(), "SQLite NORMAL", "#8fb8e3"),
        (BenchStore.Azurite.Name(), "Azure store, Azurite", "#2e9e4a"),
        (BenchStore.Durable.Name(), "durable runtime, Azurite", "#e8792b"),
        (DurablePeer.Store, "bare Durable Task, Azurite", "#f5c08f"),
        ("Hangfire.InMemory", "Hangfire, in memory", "#8a5cb8"),
    ];

    private static readonly string[] OtherColours = ["#8c564b", "#d45fa8", "#7f7f7f", "#a8a82a", "#17a2b8"];

    public static string Render(IReadOnlyList<ScenarioOutcome> outcomes, DateTime runDate, bool smoke)
    {
        var others = outcomes.Select(o => o.Store).Where(s => Known.All(k => k.Store != s)).Distinct(StringComparer.Ordinal).ToList();
        var bars = outcomes.Select(o => Bar.Of(o, others)).OfType<Bar>().ToList();
        var groups = bars.GroupBy(b => (b.Shape, b.Size, b.Blocks))
            .OrderBy(g => Array.IndexOf(Shapes, g.Key.Shape)).ThenBy(g => g.Key.Blocks).ThenBy(g => g.Key.Size, StringComparer.Ordinal)
            .Select(g => (g.Key.Shape, g.Key.Size, Bars: g.OrderBy(b => b.Order).ToList()))
            .ToList();

        var rates = bars.Where(b => b.Rate is > 0).Select(b => b.Rate!.Value).DefaultIfEmpty(1).ToList();
        // From 1 blocks/s (lower only if a rate is), so a bar's length is the log of its rate and small rates stay visible.
        var low = Math.Min(0, Math.Floor(Math.Log10(rates.Min())));
        var high = Math.Max(Math.Ceiling(Math.Log10(rates.Max())), low + 1);
        double X(double rate) => Left + (PlotWidth * (Math.Log10(Math.Max(rate, Math.Pow(10, low))) - low) / (high - low));

        var bottom = Top + groups.Sum(g => GroupHead + (g.Bars.Count * BarRow) + GroupGap);
        var height = bottom + 44;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{N(height)}\" viewBox=\"0 0 {Width} {N(height)}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"));
        var title = $"Blocks per second by scenario and runtime, bench all of {runDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(smoke ? " (smoke sizes)" : "")}";
        svg.Append("<title>" + Escape(title) + "</title>\n");
        svg.Append("<defs><pattern id=\"unfinished\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c0392b\" stroke-width=\"2\"/></pattern></defs>\n");
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{N(height)}\" fill=\"#ffffff\"/>\n"));
        svg.Append("<text x=\"16\" y=\"24\" font-size=\"14\" font-weight=\"bold\">" + Escape(title) + "</text>\n");
        svg.Append("<text x=\"16\" y=\"42\" fill=\"#555555\">Log scale. Runs: runs/s × 5 blocks a run. DAG: its blocks ÷ its seconds. "
            + "Hatched: did not finish in its budget, or failed.</text>\n");

        for (var decade = low; decade <= high; decade++)
        {
            foreach (var step in decade < high ? new[] { 1, 2, 5 } : [1])
            {
                var x = N(X(step * Math.Pow(10, decade)));
                svg.Append(Invariant($"<line x1=\"{x}\" y1=\"{N(Top - 4)}\" x2=\"{x}\" y2=\"{N(bottom)}\" stroke=\"{(step == 1 ? "#cccccc" : "#eeeeee")}\"/>\n"));
            }

            svg.Append(Invariant($"<text x=\"{N(X(Math.Pow(10, decade)))}\" y=\"{N(bottom + 14)}\" text-anchor=\"middle\">{Math.Pow(10, decade):N0}</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{N(Left + (PlotWidth / 2))}\" y=\"{N(bottom + 32)}\" text-anchor=\"middle\" fill=\"#555555\">blocks/s (log scale)</text>\n"));

        var y = Top;
        foreach (var (shape, size, groupBars) in groups)
        {
            svg.Append(Invariant($"<text x=\"16\" y=\"{N(y + 14)}\" font-weight=\"bold\">{Escape(GroupLabel(shape, size))}</text>\n"));
            y += GroupHead;
            foreach (var bar in groupBars)
            {
                svg.Append(Invariant($"<text x=\"{N(Left - 8)}\" y=\"{N(y + 11)}\" text-anchor=\"end\">{Escape(bar.Label)}</text>\n"));
                if (bar.Rate is { } rate)
                {
                    var end = X(rate);
                    svg.Append(Invariant($"<rect x=\"{N(Left)}\" y=\"{N(y + 2)}\" width=\"{N(end - Left)}\" height=\"{N(BarHeight)}\" fill=\"{bar.Colour}\"/>\n"));
                    svg.Append(Invariant($"<text x=\"{N(end + 4)}\" y=\"{N(y + 11)}\">{Rate(rate)}</text>\n"));
                }
                else
                {
                    var reason = bar.Failure!.Length > LongestReason ? bar.Failure[..(LongestReason - 1)] + "…" : bar.Failure;
                    svg.Append(Invariant($"<rect x=\"{N(Left)}\" y=\"{N(y + 2)}\" width=\"{N(MarkerWidth)}\" height=\"{N(BarHeight)}\" fill=\"url(#unfinished)\" stroke=\"{bar.Colour}\"/>\n"));
                    svg.Append(Invariant($"<text x=\"{N(Left + MarkerWidth + 4)}\" y=\"{N(y + 11)}\" fill=\"#c0392b\">{Escape(reason)}</text>\n"));
                }

                y += BarRow;
            }

            y += GroupGap;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string GroupLabel(string shape, string size) => shape switch
    {
        "chain" => Invariant($"chain {Number(size):N0}"),
        "fanout" => Invariant($"fan-out {Number(size):N0}"),
        "runs" => Invariant($"{Number(size):N0} runs × {EngineScenario.BlocksPerRun} blocks"),
        _ => "DAG " + size.Replace("x", " × ", StringComparison.Ordinal),
    };

    private static int Number(string size) => int.Parse(size, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static string Rate(double rate) => rate < 10 ? Invariant($"{rate:0.0}") : Invariant($"{rate:N0}");

    /// <summary>A coordinate rounded to a tenth of a pixel.</summary>
    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One bar: a rate in blocks/s, or the reason there is none.</summary>
    private sealed record Bar(string Shape, string Size, int Blocks, int Order, string Label, string Colour, double? Rate, string? Failure)
    {
        /// <summary>The bar of a whole-run scenario's outcome (ours or a peer's); null for floors, latency and validate.</summary>
        public static Bar? Of(ScenarioOutcome o, List<string> others)
        {
            // A whole-run shape's size is N or WxD; rows that only end in a shape's word (the retention row's "runs")
            // are measured otherwise and have no bar.
            var shape = o.Scenario.Split(' ')[^1];
            if (!Shapes.Contains(shape) || o.Scenario.StartsWith("floor", StringComparison.Ordinal)
                || !o.Size.All(c => char.IsAsciiDigit(c) || c is ',' or 'x'))
            {
                return null;
            }

            var (width, depth) = EngineScenario.ParseSize(shape, o.Size);
            var blocks = EngineScenario.Blocks(shape, width, depth);
            var rate = o.Failure is not null ? null : o.Unit switch
            {
                "blocks/s" => o.Value,
                "runs/s" => o.Value * EngineScenario.BlocksPerRun,
                "s" when o.Value is > 0 => blocks / o.Value,
                _ => null,
            };
            var known = Array.FindIndex(Known, k => k.Store == o.Store);
            var (order, label, colour) = known >= 0
                ? (known, Known[known].Label, Known[known].Colour)
                : (Known.Length + others.IndexOf(o.Store), o.Store, OtherColours[others.IndexOf(o.Store) % OtherColours.Length]);
            return new Bar(shape, o.Size, blocks, order, label, colour, rate, rate is null ? o.Failure ?? "no result" : null);
        }
    }
}
