using Duraflow.Bench;
using Duraflow.PeerHangfirePostgres;

// Usage: PeerHangfirePostgres [--scenario chain|fanout|runs] [--size N] [--timeout S] [--json], on the server
// BenchPostgres.Connection names. Prints the outcome, and with --json its line for the harness.
var options = new BenchOptions(args);
var outcome = await HangfirePostgresPeer.RunAsync(
    options.Text("--scenario", "chain"),
    options.Number("--size", 1000),
    TimeSpan.FromSeconds(options.Number("--timeout", 60)));
Console.WriteLine($"{outcome.Scenario} {outcome.Size} on {outcome.Store}: {OutcomeText.Result(outcome)}");
if (options.Has("--json"))
{
    Console.WriteLine(outcome.ToLine());
}

return outcome.Failure is null ? 0 : 3;
