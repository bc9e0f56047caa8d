namespace Duraflow.Engine.Alerts;

/// <summary>What alerts need to know of where they are sent from.</summary>
/// <param name="DashboardUrl">The dashboard's public base URL (<c>https://flows.example.com</c>), or null for no link.</param>
/// <param name="Environment">Reads environment variables for <c>{{ env.* }}</c>.</param>
internal sealed record AlertSettings(Uri? DashboardUrl, Func<string, string?> Environment)
{
    /// <summary>The app setting that gives the dashboard's public URL where duraflow.yaml does not.</summary>
    public const string DashboardUrlVariable = "DURAFLOW_DASHBOARD_URL";

    /// <summary>No link, and the process's environment.</summary>
    public static AlertSettings Default { get; } = new(null, System.Environment.GetEnvironmentVariable);

    /// <summary>
    /// The dashboard's URL: duraflow.yaml's <c>alerts.dashboard_url</c>, else <see cref="DashboardUrlVariable"/>, else in
    /// Azure the app's own host name (<c>WEBSITE_HOSTNAME</c>, which the Functions app serves the dashboard at); none
    /// elsewhere, since a local server's address is rarely one a receiver can open.
    /// </summary>
    /// <exception cref="Storage.StoreSettingsException">The variable is set to a URL alerts may not link to; no engine opens.</exception>
    public static AlertSettings For(Uri? configured, Func<string, string?>? environment = null)
    {
        environment ??= System.Environment.GetEnvironmentVariable;
        var variable = environment(DashboardUrlVariable);
        if (configured is null && variable is { Length: > 0 } && Definitions.AlertUrls.Refusal(variable) is { } refusal)
        {
            throw new Storage.StoreSettingsException(
                $"the environment variable {DashboardUrlVariable} '{variable}' {refusal}; set it to the address the dashboard is served at, such as https://flows.example.com, or remove it");
        }

        var url = configured
            ?? (variable is { Length: > 0 } ? new Uri(variable) : null)
            ?? (environment("WEBSITE_HOSTNAME") is { Length: > 0 } host && Uri.TryCreate("https://" + host, UriKind.Absolute, out var site) ? site : null);
        return new AlertSettings(url is null ? null : WithSlash(url), environment);
    }

    // "https://example.com/duraflow" is a folder: without the slash, "runs/ID" would replace its last segment.
    private static Uri WithSlash(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    /// <summary>The run's page in the dashboard, or null without a base URL.</summary>
    public Uri? RunLink(string runId) =>
        DashboardUrl is { } root ? new Uri(root.AbsoluteUri + "runs/" + Uri.EscapeDataString(runId)) : null;
}
