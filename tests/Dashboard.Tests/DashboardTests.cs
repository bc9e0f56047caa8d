using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duraflow.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against a real <c>duraflow serve</c>: sign in from a deep link, start a run from
/// the generated form and watch it succeed without a reload, preview a table output, read and search logs, reload a
/// deep link, page and filter runs, pause and resume a schedule, approve and cancel waiting runs, purge old runs.
/// </summary>
[Trait("Requires", "Chromium")]
public sealed class DashboardTests
{
    [Fact]
    public async Task A_user_signs_in_from_a_deep_link_runs_a_pipeline_from_its_form_and_watches_it_succeed_without_a_reload()
    {
        await using var served = await ServedProject.StartAsync();
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync($"{served.Url}/pipelines/hello");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?next=%2Fpipelines%2Fhello$"));
        await page.GetByLabel("API key").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That key is wrong.");
        await browser.ScreenshotAsync("signin");
        await page.GetByLabel("API key").FillAsync(ServedProject.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "hello", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("greeting", new() { Exact = false })).ToHaveValueAsync("hi");
        await page.Locator("#param-n").FillAsync("21");
        await browser.ScreenshotAsync("pipeline");

        // A marker on the window survives in-app navigation and is lost on a reload: the run page must not reload.
        await page.EvaluateAsync("() => { window.__kept = 'yes'; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run hello" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/hello-"));
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded", new() { Timeout = 60_000 });
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__kept"));
        await Expect(page.Locator("tr[data-block='double_it']")).ToContainTextAsync("succeeded");
        await Expect(page.Locator("#run-graph g.n-succeeded[data-block='orders']")).ToBeVisibleAsync();
        await Expect(page.Locator("#run-graph path.edge")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-timeline rect.b-running.o-succeeded")).ToHaveCountAsync(2);
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("doubling 21");
        await page.GetByLabel("Search the logs").FillAsync("no such words");
        await Expect(page.Locator("#log-lines")).ToHaveTextAsync("No log lines.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the output of orders" }).ClickAsync();
        await Expect(page.GetByText("120 rows; the first 100 shown")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Output of orders" }).Locator("tbody tr")).ToHaveCountAsync(100);
        await browser.ScreenshotAsync("run");
        Assert.DoesNotContain("\nnull\n", await page.Locator("#page").InnerTextAsync(), StringComparison.Ordinal);

        // A deep link reloads to the same page.
        await page.ReloadAsync();
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded");
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__kept ?? null"));

        // The pipeline's page draws its graph, coloured by that last run.
        await page.GetByRole(AriaRole.Link, new() { Name = "hello", Exact = true }).ClickAsync();
        await Expect(page.Locator("#pipeline-graph g.n-succeeded[data-block='orders']")).ToBeVisibleAsync();
        await Expect(page.Locator("#pipeline-graph path.edge")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("pipeline-after-run");

        // Old runs are purged from the runs page as `runs purge` does: counted first, then purged for good. The run
        // must have ended longer ago than the age given (1s), so the count is asked again until it includes it.
        await page.GotoAsync($"{served.Url}/runs?pipeline=hello");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Runs" }).Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByText("Purge old runs").ClickAsync();
        await page.GetByLabel("Ended more than").FillAsync("1s");
        var purge = page.GetByRole(AriaRole.Button, new() { Name = "Purge", Exact = true });
        await Expect(purge).ToBeDisabledAsync();
        var outcome = page.Locator("details [role=status]");
        var counting = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Count" }).ClickAsync();
            await Expect(outcome).ToContainTextAsync("would be purged");
        }
        while (!(await outcome.InnerTextAsync()).StartsWith("1 finished run ", StringComparison.Ordinal) && counting.Elapsed < TimeSpan.FromSeconds(15));

        await Expect(outcome).ToContainTextAsync("1 finished run ended before");
        await purge.ClickAsync();
        await Expect(outcome).ToContainTextAsync("Purged 1 run.");
        await Expect(page.GetByText("No run matches.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_run_page_shows_the_alerts_sent_for_the_run_and_how_each_went()
    {
        await using var receiver = await Duraflow.Engine.Tests.Alerts.AlertReceiver.StartAsync();
        await using var served = await ServedProject.StartAsync(duraflowYaml: $"alerts:\n  send:\n    - {{ on: [started, succeeded], webhook: \"{receiver.Url}\" }}\n");
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        await SignInAsync(page, served);

        var runId = await StartAsync(served, "hello");
        await page.GotoAsync($"{served.Url}/runs/{runId}");
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded", new() { Timeout = 60_000 });

        // Without a reload: the page reads the run again after its end, once the end's alert is recorded.
        var alerts = page.Locator("#run-alerts");
        await Expect(alerts.Locator("tbody tr")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(alerts.Locator("tbody tr").Filter(new() { HasText = "succeeded" })).ToContainTextAsync("delivered");
        await Expect(alerts.Locator("tbody tr").Filter(new() { HasText = "started" })).ToContainTextAsync("HTTP 200");
        await Expect(alerts).Not.ToContainTextAsync(receiver.Url);
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task The_overview_pauses_and_resumes_a_schedule_and_run_pages_approve_and_cancel_waiting_runs()
    {
        await using var served = await ServedProject.StartAsync();
        await using var browser = await Browser.OpenAsync("dark");
        var page = browser.Page;
        await SignInAsync(page, served);

        var row = page.Locator("tr[data-pipeline='nightly']");
        await Expect(row).ToContainTextAsync("active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause the schedules of nightly" }).ClickAsync();
        await Expect(row).ToContainTextAsync("paused");

        // The server's scheduler, at its next check (each minute boundary), skips the paused pipeline and says so.
        await served.WhenLoggedAsync("Schedules paused, not checked: nightly", TimeSpan.FromSeconds(90));
        using (var api = Api(served))
        {
            var schedules = await api.GetStringAsync(new Uri($"{served.Url}/api/schedules"));
            Assert.Contains("\"by\":\"api-key (dashboard session)\"", schedules, StringComparison.Ordinal);
        }

        await browser.ScreenshotAsync("overview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the schedules of nightly" }).ClickAsync();
        await Expect(row).ToContainTextAsync("active");

        // The pipeline page says its schedule in words, in the schedule's zone.
        await page.GotoAsync($"{served.Url}/pipelines/nightly");
        await Expect(page.GetByText("At 02:00, every day")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("schedule");

        // A run that waits for approval: approved from its page, it succeeds; another is cancelled.
        var approved = await StartAsync(served, "slow");
        await page.GotoAsync($"{served.Url}/runs/{approved}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve ship" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.GetByLabel("Comment on approval ship").FillAsync("looks good");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve ship" }).ClickAsync();
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded", new() { Timeout = 60_000 });

        var cancelled = await StartAsync(served, "slow");
        await page.GotoAsync($"{served.Url}/runs/{cancelled}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("cancelled", new() { Timeout = 60_000 });

        // Retried from its page, the ended run goes again and the page follows it without a reload.
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve ship" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("cancelled", new() { Timeout = 60_000 });

        // The runs page filters by status and links to each run.
        await page.GotoAsync($"{served.Url}/runs");
        await page.GetByLabel("Status").SelectOptionAsync("cancelled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?status=cancelled$"));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Runs" }).Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = cancelled })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("runs");

    }

    private static async Task SignInAsync(IPage page, ServedProject served)
    {
        await page.GotoAsync($"{served.Url}/signin");
        await page.GetByLabel("API key").FillAsync(ServedProject.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }

    private static HttpClient Api(ServedProject served)
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServedProject.Key);
        return client;
    }

    private static async Task<string> StartAsync(ServedProject served, string pipeline)
    {
        using var api = Api(served);
        var response = await api.PostAsync(new Uri($"{served.Url}/api/pipelines/{pipeline}/runs"), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("run_id").GetString()!;
    }
}
