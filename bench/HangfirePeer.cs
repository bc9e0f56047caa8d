using Hangfire.InMemory;

namespace Duraflow.Bench;

/// <summary>
/// The Hangfire peer, Hangfire 1.8 (OSS) running the shapes of <see cref="HangfireShapes"/>: on Hangfire.InMemory in
/// this process, or on Hangfire.PostgreSql in a child process (PeerHangfirePostgres), which needs an older Npgsql than
/// the one the engine loads here. In-memory storage is not durable, so its fair comparison is with SQLite NORMAL as well
/// as FULL; PostgreSQL storage is, on a server that flushes its commits, so its comparison is with SQLite FULL.
/// </summary>
internal static class HangfirePeer
{
    /// <summary>What <c>--store</c> takes.</summary>
    public static IReadOnlyList<string> Stores { get; } = ["memory", "postgres"];

    /// <summary>The PostgreSQL peer's program, built into a folder of its own under the harness's output.</summary>
    private static string PostgresProgram => Path.Combine(AppContext.BaseDirectory, "peers", "hangfire-postgres", "Duraflow.PeerHangfirePostgres.dll");

    public static async Task<ScenarioOutcome> RunAsync(string store, string scenario, int size, TimeSpan budget)
    {
        if (!Stores.Contains(store))
        {
            throw new ArgumentException($"unknown store '{store}' ({string.Join(", ", Stores)})");
        }

        if (store == "memory")
        {
            return await HangfireShapes.RunAsync(new InMemoryStorage(), HangfireShapes.MemoryStore, scenario, size, budget);
        }

        var check = await PostgresProbe.CheckAsync(BenchPostgres.Connection);
        if (check.Unreachable is { } unreachable)
        {
            return Describe(scenario, size) with { Failure = "PostgreSQL is unreachable (start it with `scripts/services.sh start postgres`): " + unreachable };
        }

        var outcome = await RunPostgresAsync(scenario, size, budget);
        return check.Note is null ? outcome : outcome with { Note = check.Note };
    }

    /// <summary>One scenario on Hangfire.PostgreSql, in its own process as <c>bench all</c> runs every scenario.</summary>
    public static Task<ScenarioOutcome> RunPostgresAsync(string scenario, int size, TimeSpan budget) =>
        ScenarioProcess.RunProgramAsync(PostgresProgram, Describe(scenario, size), budget,
            ["--scenario", scenario, "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    private static ScenarioOutcome Describe(string scenario, int size) => new()
    {
        Scenario = HangfireShapes.ScenarioPrefix + scenario,
        Store = HangfireShapes.PostgresStore,
        Size = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
