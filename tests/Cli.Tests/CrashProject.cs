using System.Text;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>A project on disk for crash tests: short leases so work of a killed process comes back quickly.</summary>
internal sealed class CrashProject : IDisposable
{
    private readonly TempFolder _folder = new();

    public CrashProject(string pipeline, string yaml, string script)
    {
        _folder.Write("duraflow.yaml", "workers:\n  parallelism: 4\n  lease: 1s\n  max_deliveries: 50\n");
        _folder.Write($"pipelines/{pipeline}/pipeline.yaml", yaml);
        _folder.Write($"pipelines/{pipeline}/blocks/work.csx", script);
    }

    public string Root => _folder.Root;

    public string StorePath => _folder.PathOf(".duraflow/duraflow.db");

    /// <summary>A grid of blocks: <paramref name="levels"/> levels of <paramref name="width"/>, each reading two blocks above it.</summary>
    public static string Grid(string name, int levels, int width)
    {
        var yaml = new StringBuilder($"name: {name}\nblocks:\n");
        for (var level = 0; level < levels; level++)
        {
            for (var i = 0; i < width; i++)
            {
                yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - name: l{level}_{i}\n    uses: script:blocks/work.csx\n");
                if (level > 0)
                {
                    yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"    upstream: [l{level - 1}_{i}, l{level - 1}_{(i + 1) % width}]\n");
                }
            }
        }

        return yaml.ToString();
    }

    /// <summary>Reads the store as it is on disk now (another process may be writing it).</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteStore, Task<T>> read)
    {
        if (!File.Exists(StorePath))
        {
            return default!;
        }

        using var store = SqliteStore.Open(StorePath);
        return await read(store);
    }

    public async Task<IReadOnlyList<(RunState State, IReadOnlyList<RunEvent> Events)>> RunsAsync() => await ReadAsync(async store =>
    {
        var runs = new List<(RunState, IReadOnlyList<RunEvent>)>();
        foreach (var summary in await store.ListRunsAsync(new(Limit: 1000), CancellationToken.None))
        {
            var run = await store.GetRunAsync(summary.RunId, CancellationToken.None);
            runs.Add((run!.State, await store.GetEventsAsync(summary.RunId, CancellationToken.None)));
        }

        return (IReadOnlyList<(RunState, IReadOnlyList<RunEvent>)>)runs;
    }) ?? [];

    public void Dispose() => _folder.Dispose();
}
