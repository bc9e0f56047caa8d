namespace Duraflow.Bench;

/// <summary>
/// The PostgreSQL server the Hangfire peer on PostgreSQL runs on. Compiled into the harness, which checks that it
/// answers, and into PeerHangfirePostgres, which runs on it, so the two cannot disagree about which server it is.
/// </summary>
internal static class BenchPostgres
{
    /// <summary>
    /// DURAFLOW_BENCH_POSTGRES; else the tests' DURAFLOW_TEST_POSTGRES (<c>source .ci-services/env</c>); else the server
    /// <c>scripts/services.sh start postgres</c> runs, with its port and password.
    /// </summary>
    /// <remarks>
    /// The tests' server flushes its write-ahead log but does not wait for it by default (<c>synchronous_commit=off</c>,
    /// for the tests' speed); the peer's sessions turn the wait back on, so each of its commits is durable as SQLite
    /// FULL's are.
    /// </remarks>
    public static string Connection => Durable(
        Variable("DURAFLOW_BENCH_POSTGRES") ?? Variable("DURAFLOW_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=duraflow_ci;Database=duraflow_test");

    private static string Durable(string connection) =>
        connection.Contains("Options=", StringComparison.OrdinalIgnoreCase) ? connection : connection.TrimEnd(';') + ";Options=-c synchronous_commit=on";

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
