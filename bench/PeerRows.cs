namespace Duraflow.Bench;

/// <summary>
/// The peers' rows of <c>bench all</c>: Hangfire on Hangfire.InMemory and on Hangfire.PostgreSql, and bare Durable
/// Task in memory, each on the same shapes and sizes as ours (the bare Durable rows on Azurite run beside the durable
/// runtime's). Kept apart from <see cref="AllCommand"/>, which only asks for them.
/// </summary>
internal sealed class PeerRows
{
    // The peers are the yardstick for the ratios, so they get at least a minute: Hangfire's 10,000-job fan-out in
    // memory takes longer than the engine's default budget, and a missing reference would leave every ratio of that
    // size empty. On PostgreSQL every job costs several transactions and a contended job lock waits up to a second, so
    // its rows get two minutes; at the sizes that need more, the row says how far it got.
    private static readonly TimeSpan HangfireBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PostgresBudget = TimeSpan.FromSeconds(120);

    // In memory, Durable's chain replays a history that grows with every call, so chain 1,000 took 16 s on a busy day;
    // two minutes leave room for a slower one. A smoke run's tiny sizes need seconds, and its minute covers starting
    // the sidecar and worker on a slow machine.
    private static readonly TimeSpan DurableMemoryBudget = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan DurableMemorySmokeBudget = TimeSpan.FromSeconds(60);

    private readonly bool _postgres;

    private PeerRows(bool postgres) => _postgres = postgres;

    /// <summary>
    /// Asks the PostgreSQL server whether it answers. Null under CI=true when it does not, so the run fails (as it
    /// does for Azurite) rather than lose rows; elsewhere its rows are left out with a note. Notes whether the server
    /// flushes its commits, which the durable comparison depends on.
    /// </summary>
    public static async Task<PeerRows?> PrepareAsync(List<string> notes)
    {
        var check = await PostgresProbe.CheckAsync(BenchPostgres.Connection);
        if (check.Unreachable is { } unreachable)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("PostgreSQL is unreachable and CI=true: " + unreachable);
                return null;
            }

            notes.Add("PostgreSQL was unreachable, so the Hangfire.PostgreSql rows are missing (start it with `scripts/services.sh start postgres`): " + unreachable);
            return new PeerRows(postgres: false);
        }

        if (check.Note is { } note)
        {
            notes.Add(note);
        }

        return new PeerRows(postgres: true);
    }

    public async Task AddAsync(BenchSizes sizes, TimeSpan budget, Func<Func<Task<ScenarioOutcome>>, Task> add)
    {
        var shapes = new[] { ("chain", sizes.Chain) }.Concat(sizes.FanOuts.Select(f => ("fanout", f))).Append(("runs", sizes.Runs)).ToList();
        foreach (var (scenario, size) in shapes)
        {
            await add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = HangfireShapes.ScenarioPrefix + scenario, Store = HangfireShapes.MemoryStore, Size = size }, Max(budget, HangfireBudget),
                ["hangfire", "--store", "memory", "--scenario", scenario, "--size", size]));
        }

        if (_postgres)
        {
            foreach (var (scenario, size) in shapes)
            {
                await add(() => HangfirePeer.RunPostgresAsync(scenario, int.Parse(size, System.Globalization.CultureInfo.InvariantCulture), Max(budget, PostgresBudget)));
            }
        }

        var durableBudget = Max(budget, sizes == BenchSizes.Smoke ? DurableMemorySmokeBudget : DurableMemoryBudget);
        foreach (var (scenario, size) in new[] { ("chain", sizes.Chain), ("fanout", sizes.DurableFanOut), ("runs", sizes.Runs) })
        {
            await add(() => ScenarioProcess.RunAsync(
                new ScenarioOutcome { Scenario = DurablePeer.ScenarioPrefix + scenario, Store = DurablePeer.MemoryStore, Size = size }, durableBudget,
                ["durable-peer", "--store", "memory", "--scenario", scenario, "--size", size]));
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
