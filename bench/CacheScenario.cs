using System.Diagnostics;
using System.Globalization;
using System.Text;
using Duraflow.Engine.Hosting;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Validation;

namespace Duraflow.Bench;

/// <summary>
/// A pipeline of N cached C# script blocks (ten parallel chains) run three times on SQLite, as <c>duraflow run</c>
/// runs it: first on an empty cache, then identical (every block should be a hit), then with one chain's first block
/// changed (that chain recomputes, the rest stay cached). Each block does a fixed amount of hashing, standing in for
/// real work. The script is compiled by a warm-up run of another pipeline first, so no row pays for the compiler.
/// </summary>
internal sealed class CacheScenario(int blocks, int rounds)
{
    private const int Chains = 10;

    // Each block hashes a megabyte `rounds` times (its work) and passes on a digest of its input and its result.
    private const string Script = """
        using System.Security.Cryptography;
        using System.Text;
        var from = Setting<string>("from");
        var seed = from.Length == 0 ? "" : Input<string>(from);
        var buffer = new byte[1 << 20];
        var digest = Array.Empty<byte>();
        for (var i = 0; i < Setting<int>("rounds"); i++)
        {
            buffer[0] = (byte)i;
            digest = SHA256.HashData(buffer);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed + Convert.ToHexString(digest))))[..16];
        """;

    public async Task<string> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "duraflow-bench", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "duraflow.yaml"), "workers: { parallelism: 2 }\n");
            WritePipeline(folder, "warmup", 1, changed: false);
            WritePipeline(folder, "cached", blocks, changed: false);
            using var engine = DuraflowEngine.Open(DuraflowProject.Open(folder));
            await RunOnceAsync(engine, folder, "warmup");

            var first = await RunOnceAsync(engine, folder, "cached");
            var second = await RunOnceAsync(engine, folder, "cached");
            WritePipeline(folder, "cached", blocks, changed: true);
            var third = await RunOnceAsync(engine, folder, "cached");
            if (first.Output != second.Output)
            {
                throw new InvalidOperationException($"the cached run's output {second.Output} differs from the computed one's {first.Output}");
            }

            return Report(first, second, third);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Ten chains; block c_k of chain c reads c_(k-1). changed: the first block of chain 0 hashes one round more.
    private void WritePipeline(string folder, string name, int count, bool changed)
    {
        var directory = Path.Combine(folder, "pipelines", name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "work.csx"), Script);
        var yaml = new StringBuilder($"name: {name}\nblocks:\n");
        for (var i = 0; i < count; i++)
        {
            var (chain, step) = (i % Chains, i / Chains);
            var previous = step == 0 ? "" : $"b{chain}_{step - 1}";
            var work = changed && i == 0 ? rounds + 1 : rounds;
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: b{chain}_{step}, uses: script:work.csx, cache: true, ");
            yaml.Append(CultureInfo.InvariantCulture, $"upstream: [{previous}], with: {{ from: \"{previous}\", rounds: {work} }} }}\n");
        }

        File.WriteAllText(Path.Combine(directory, "pipeline.yaml"), yaml.ToString());
    }

    private static async Task<(TimeSpan Elapsed, int Computed, int Cached, string Output)> RunOnceAsync(DuraflowEngine engine, string folder, string name)
    {
        var validated = PipelineValidator.Validate(Path.Combine(folder, "pipelines", name, "pipeline.yaml"));
        if (!validated.IsValid)
        {
            throw new InvalidOperationException(string.Join("\n", validated.Diagnostics));
        }

        var parameters = RunParameters.Resolve(validated.Definition!, new Dictionary<string, ParameterInput>()).Parameters!;
        var clock = Stopwatch.StartNew();
        var started = await engine.Starter.StartAsync(new RunRequest(validated, parameters, RunTrigger.ByHand("bench")));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var state = await engine.RunUntilFinishedAsync(started.RunId, null, limit.Token);
        var elapsed = clock.Elapsed;
        if (state.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"run {state.RunId} ended {state.Status}: {state.Error}");
        }

        var last = state.Blocks.Where(b => !b.Key.Contains('[', StringComparison.Ordinal)).ToList();
        return (elapsed, last.Count(b => b.Value.Status == BlockStatus.Succeeded), last.Count(b => b.Value.Status == BlockStatus.Cached),
            string.Join(",", last.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Value.Output)));
    }

    private string Report(
        (TimeSpan Elapsed, int Computed, int Cached, string Output) first, (TimeSpan Elapsed, int Computed, int Cached, string Output) second,
        (TimeSpan Elapsed, int Computed, int Cached, string Output) third) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {blocks} cached C# script blocks in {Chains} parallel chains, each hashing 1 MiB {rounds} times; SQLite FULL, 2 workers

            | run | time | blocks computed | blocks cached | time / first run |
            |---|---|---|---|---|
            | first (empty cache) | {first.Elapsed.TotalSeconds:N2} s | {first.Computed} | {first.Cached} | 1.00 |
            | second, identical | {second.Elapsed.TotalSeconds:N2} s | {second.Computed} | {second.Cached} | {second.Elapsed / first.Elapsed:N2} |
            | third, one chain's first block changed | {third.Elapsed.TotalSeconds:N2} s | {third.Computed} | {third.Cached} | {third.Elapsed / first.Elapsed:N2} |

            """);
}
