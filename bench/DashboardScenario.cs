using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Duraflow.Api.Setup;
using Duraflow.Engine.Storage.Sqlite;
using Microsoft.Playwright;

namespace Duraflow.Bench;

/// <summary>
/// Issue 21's dashboard numbers, measured in Debian's Chromium driven by Playwright against the API and dashboard
/// served in this process (as <c>duraflow serve</c> serves them) over a SQLite FULL store: how long a run page with a
/// fan-out of N items (N + 2 blocks and items) takes from navigation to every block drawn (goal: under a second at
/// 1,000), and paging the runs page through a store filled with M finished runs, page by page with the cursor,
/// while the browser never holds more than one page of rows (goal: every run reachable without loading them all).
/// </summary>
internal sealed class DashboardScenario(int items, int runs, int pages, string chromium)
{
    private const string Key = "bench-dashboard-key";
    private const int Repeats = 5;

    public async Task<string> RunAsync()
    {
        var project = Directory.CreateTempSubdirectory("duraflow-bench-dashboard-");
        var report = new StringBuilder();
        try
        {
            WriteProject(project.FullName);
            var fill = Stopwatch.StartNew();
            using (var store = SqliteStore.Open(Path.Combine(project.FullName, ".duraflow", "duraflow.db"), SqliteDurability.Full))
            {
                await RetentionScenario.FillAsync(store, runs);
            }

            fill.Stop();
            var app = LocalServer.Create(
            [
                "--contentRoot", project.FullName, "--urls", "http://127.0.0.1:0", "--Duraflow:Project", project.FullName, "--Duraflow:ApiKey", Key,
                "--Duraflow:LocalWorkers", "true", "--Duraflow:Schedules", "false", "--Logging:LogLevel:Default", "Warning",
            ]);
            await app.StartAsync();
            try
            {
                var url = app.Urls.First();
                var runId = await RunFanOutAsync(url);
                using var playwright = await Playwright.CreateAsync();
                await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                });
                var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
                page.SetDefaultTimeout(120_000);
                await SignInAsync(page, url);

                var render = new List<double>();
                for (var i = 0; i <= Repeats; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await page.GotoAsync($"{url}/runs/{runId}");
                    await page.Locator($"tr[data-block='item[{items - 1}]']").WaitForAsync();
                    await page.Locator("#run-graph svg").WaitForAsync();
                    clock.Stop();
                    if (i > 0)
                    {
                        // The first visit warms the browser's caches and the server's paths.
                        render.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }

                var rows = await page.Locator("table[aria-label='Blocks'] tbody tr").CountAsync();
                report.AppendLine(Invariant($"dashboard run page, fan-out of {items:N0} items ({rows:N0} block rows): median {Median(render):0} ms, max {render.Max():0} ms from navigation to every block drawn ({Repeats} visits after one to warm up)"));

                var paging = await PageThroughAsync(page, url);
                report.AppendLine(paging);
                report.AppendLine(Invariant($"store filled with {runs:N0} finished runs in {fill.Elapsed.TotalSeconds:0.0} s"));
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            project.Delete(recursive: true);
        }

        return report.ToString();
    }

    private void WriteProject(string root)
    {
        File.WriteAllText(Path.Combine(root, "duraflow.yaml"), "name: bench\nstore:\n  type: sqlite\n  path: .duraflow/duraflow.db\n  durability: full\n");
        var folder = Path.Combine(root, "pipelines", "wide");
        Directory.CreateDirectory(Path.Combine(folder, "blocks"));
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), """
            name: wide
            blocks:
              - { name: list, uses: "script:blocks/list.csx", fan_out: true }
              - { name: item, uses: "script:blocks/item.csx", upstream: [list] }
              - { name: total, uses: "script:blocks/total.csx", upstream: [item] }
            """);
        File.WriteAllText(Path.Combine(folder, "blocks", "list.csx"), Invariant($"return Enumerable.Range(0, {items});\n"));
        File.WriteAllText(Path.Combine(folder, "blocks", "item.csx"), "return Input<int>(\"list\") * 2;\n");
        File.WriteAllText(Path.Combine(folder, "blocks", "total.csx"), "return Input<int[]>(\"item\").Sum();\n");
    }

    private static async Task<string> RunFanOutAsync(string url)
    {
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        using var started = await client.PostAsJsonAsync("/api/pipelines/wide/runs", new { });
        started.EnsureSuccessStatusCode();
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetString()!;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                return runId;
            }

            if (status is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"the fan-out run ended {status}: {run.GetProperty("error")}");
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("the fan-out run did not end within 10 minutes");
    }

    private static async Task SignInAsync(IPage page, string url)
    {
        await page.GotoAsync($"{url}/signin");
        await page.GetByLabel("API key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();
    }

    // Walks the runs page with its Older runs link, counting the rows the browser holds on each page.
    private async Task<string> PageThroughAsync(IPage page, string url)
    {
        await page.GotoAsync($"{url}/runs");
        var table = page.Locator("table[aria-label='Runs'] tbody tr");
        await table.First.WaitForAsync();
        var times = new List<double>();
        var seen = 0;
        var most = 0;
        for (var i = 0; i < pages; i++)
        {
            var rows = await table.CountAsync();
            seen += rows;
            most = Math.Max(most, rows);
            var older = page.GetByRole(AriaRole.Link, new() { Name = "Older runs" });
            if (await older.CountAsync() == 0)
            {
                break;
            }

            var first = await table.First.InnerTextAsync();
            var clock = Stopwatch.StartNew();
            await older.ClickAsync();
            await page.WaitForFunctionAsync(
                "previous => { const row = document.querySelector(\"table[aria-label='Runs'] tbody tr\"); return row && row.innerText !== previous; }", first);
            clock.Stop();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Invariant($"dashboard runs page over {runs:N0} runs: {times.Count:N0} pages of at most {most} rows, {seen:N0} runs seen; a page took median {Median(times):0} ms, max {times.DefaultIfEmpty().Max():0} ms");
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
