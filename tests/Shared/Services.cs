namespace Duraflow.Tests;

/// <summary>
/// The real services integration tests talk to, started by test.sh (scripts/services.sh). A missing service fails
/// the test with what to run; it never skips, so CI cannot go green without them.
/// </summary>
internal static class Services
{
    /// <summary>An Npgsql connection string to a scratch database.</summary>
    public static string Postgres => Require("DURAFLOW_TEST_POSTGRES", "PostgreSQL");

    /// <summary>An Azure Storage connection string for Azurite.</summary>
    public static string Azurite => Require("DURAFLOW_TEST_AZURITE", "Azurite");

    /// <summary>The path of Debian's Chromium, which Playwright drives for the dashboard's browser tests.</summary>
    public static string Chromium => Require("DURAFLOW_TEST_CHROMIUM", "Chromium");

    private static string Require(string variable, string service) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{service} is needed by this integration test but {variable} is not set. Run ./test.sh, which starts it, "
                + "or run scripts/services.sh start and source .ci-services/env before dotnet test.");
}
