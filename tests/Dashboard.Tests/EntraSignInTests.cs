using System.Text.Json;
using Duraflow.Api.Tests.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duraflow.Dashboard.Tests;

/// <summary>
/// Entra sign-in in a real browser: a real <c>duraflow serve</c> with Entra settings against a local stand-in for the
/// tenant, which signs the user in at once. From a deep link the user chooses "Sign in with Microsoft", the browser
/// goes to the authority and back with a code, the page redeems it with its PKCE verifier and hands the token to the
/// API, and what the user changes is recorded under their Entra identity.
/// </summary>
[Trait("Requires", "Chromium")]
public sealed class EntraSignInTests
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string Audience = "api://duraflow-dashboard-test";
    private const string Scope = Audience + "/access_as_user";

    [Fact]
    public async Task A_user_signs_in_with_entra_from_a_deep_link_and_acts_under_their_identity()
    {
        await using var tenant = await OpenIdStandIn.StartAsync();
        tenant.AllowSignIn(ClientId, Audience, "Duraflow.Operator");
        await using var served = await ServeAsync(tenant);
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync($"{served.Url}/runs?status=failed");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        // Back on the deep link, signed in, with no code left in the address bar.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        Assert.True(page.Url == $"{served.Url}/runs?status=failed", $"{page.Url}\n{served.Log}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        var authorize = Assert.Single(tenant.AuthorizeRequests);
        Assert.Equal(ClientId, authorize["client_id"]);
        Assert.Equal(Scope, authorize["scope"]);
        Assert.Equal($"{served.Url}/signin", authorize["redirect_uri"]);
        Assert.Equal("S256", authorize["code_challenge_method"]);

        // A change made from the page is the user's: a schedule paused from the overview names them.
        await page.GotoAsync($"{served.Url}/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause the schedules of nightly" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume the schedules of nightly" })).ToBeVisibleAsync();
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", ServedProject.Key);
        using var schedules = JsonDocument.Parse(await api.GetStringAsync(new Uri($"{served.Url}/api/schedules")));
        var by = schedules.RootElement.GetProperty("items")[0].GetProperty("paused").GetProperty("by").GetString();
        Assert.StartsWith("entra:", by, StringComparison.Ordinal);

        // The token lives in an HttpOnly cookie the page cannot read; signing out ends it.
        var cookies = await page.Context.CookiesAsync([served.Url]);
        var entra = Assert.Single(cookies, c => c.Name == "duraflow_entra");
        Assert.True(entra.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, entra.SameSite);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        // The page goes to the sign-in form once the server has ended the session; navigating before that would cut
        // the request off. Then a deep link needs a sign-in again.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GotoAsync($"{served.Url}/runs");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("signin-entra");
    }

    [Fact]
    public async Task A_token_that_grants_no_role_is_refused_and_the_page_says_why()
    {
        await using var tenant = await OpenIdStandIn.StartAsync();
        tenant.AllowSignIn(ClientId, Audience, "Someone.Else");
        await using var served = await ServeAsync(tenant);
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync($"{served.Url}/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("grants none of this API's app roles");
        await Expect(page).ToHaveURLAsync($"{served.Url}/signin");
        Assert.DoesNotContain(await page.Context.CookiesAsync([served.Url]), c => c.Name == "duraflow_entra");
    }

    [Fact]
    public async Task A_viewer_sees_pipelines_and_runs_but_no_control_for_what_the_role_may_not_do()
    {
        await using var tenant = await OpenIdStandIn.StartAsync();
        tenant.AllowSignIn(ClientId, Audience, "Duraflow.Viewer");
        await using var served = await ServeAsync(tenant);
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync($"{served.Url}/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();

        // The overview shows the schedule as active, without the pause an operator gets; a pipeline has no Run form;
        // the runs page has no purge.
        await Expect(page.Locator("tr[data-pipeline='nightly']")).ToContainTextAsync("active");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause the schedules of nightly" })).ToHaveCountAsync(0);
        await page.GotoAsync($"{served.Url}/pipelines/hello");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Blocks" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run hello" })).ToHaveCountAsync(0);
        await page.GotoAsync($"{served.Url}/runs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Filter" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Count" })).ToHaveCountAsync(0);
    }

    // The test project served with the API key and Entra for the dashboard, against the tenant stand-in.
    private static Task<ServedProject> ServeAsync(OpenIdStandIn tenant) => ServedProject.StartAsync(new Dictionary<string, string>
    {
        ["Duraflow__Auth__Entra__Authority"] = tenant.Authority,
        ["Duraflow__Auth__Entra__Audience"] = Audience,
        ["Duraflow__Auth__Entra__DashboardClientId"] = ClientId,
        ["Duraflow__Auth__Entra__DashboardScope"] = Scope,
    });
}
