using Duraflow.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duraflow.Dashboard.Tests;

/// <summary>
/// The dashboard over runs of the <c>durable</c> runtime: a real <c>duraflow serve</c> whose new runs are Durable
/// orchestrations on a task hub in Azurite. A run started from the form is followed to its end on its page, and a run
/// waiting for approval is approved from its page, as on the engine's own runtime.
/// </summary>
[Trait("Requires", "Chromium")]
[Trait("Requires", "Azurite")]
public sealed class DurableDashboardTests
{
    [Fact]
    public async Task Durable_runs_are_started_followed_and_approved_from_the_dashboard()
    {
        _ = Services.Azurite;
        await using var served = await ServedProject.StartAsync(
            duraflowYaml: "timezone: Europe/Berlin\nruntime: durable\nstore:\n  type: sqlite\n  connection: DURAFLOW_TEST_AZURITE\n");
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync($"{served.Url}/signin");
        await page.GetByLabel("API key").FillAsync(ServedProject.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();

        await page.GotoAsync($"{served.Url}/pipelines/hello");
        await page.Locator("#param-n").FillAsync("21");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run hello" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/hello-"));
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded", new() { Timeout = 90_000 });
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("durable");
        await Expect(page.Locator("#run-graph g.n-succeeded[data-block='orders']")).ToBeVisibleAsync();
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("doubling 21");

        await page.GotoAsync($"{served.Url}/pipelines/slow");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run slow" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve ship" })).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve ship" }).ClickAsync();
        await Expect(page.Locator("#run-summary")).ToContainTextAsync("succeeded", new() { Timeout = 90_000 });
    }
}
