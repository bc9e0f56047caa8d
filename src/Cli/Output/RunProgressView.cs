using Duraflow.Engine.Runs;
using Spectre.Console;

namespace Duraflow.Cli.Output;

/// <summary>
/// The live view of a run: on a terminal, a table of blocks redrawn as they change; otherwise one line per block
/// status change (items included), which reads well in CI logs and is easy to grep.
/// </summary>
internal sealed class RunProgressView(Terminal terminal, IReadOnlyList<string> blockOrder, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (BlockStatus Status, int Attempt)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _positions = blockOrder.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
    private RunState? _latest;

    /// <summary>Call with every new state of the run; safe from any thread.</summary>
    public void Report(RunState state)
    {
        lock (_gate)
        {
            // Reports come from several worker threads; an older state arriving late must not undo a newer one.
            if (_latest is not null && state.Version < _latest.Version)
            {
                return;
            }

            _latest = state;
            if (!terminal.IsInteractive)
            {
                PrintChanges(state);
            }
        }
    }

    /// <summary>Shows progress until <paramref name="run"/> completes, and returns its result.</summary>
    public async Task<RunState> ShowAsync(Task<RunState> run)
    {
        if (!terminal.IsInteractive)
        {
            return await run.ConfigureAwait(false);
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in RunView.Headers)
        {
            table.AddColumn(new TableColumn($"[bold]{header}[/]"));
        }

        await AnsiConsole.Live(table).StartAsync(async context =>
        {
            while (true)
            {
                Redraw(table);
                context.Refresh();
                if (run.IsCompleted)
                {
                    break;
                }

                // A display refresh rate, not a wait for the engine: the run finishes independently of this loop.
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(150), time)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return await run.ConfigureAwait(false);
    }

    private void Redraw(Table table)
    {
        RunState? state;
        lock (_gate)
        {
            state = _latest;
        }

        table.Rows.Clear();
        if (state is null)
        {
            return;
        }

        foreach (var row in RunView.Rows(state, blockOrder, time.GetUtcNow()))
        {
            var colour = row[1] switch
            {
                "succeeded" or "cached" => "green",
                "failed" or "upstream_failed" => "red",
                "running" => "blue",
                "retrying" or "waiting" => "yellow",
                _ => "grey",
            };
            table.AddRow(Terminal.Escape(row[0]), $"[{colour}]{row[1]}[/]", row[2], row[3], Terminal.Escape(row[4]));
        }
    }

    // Plan order, a block's fan-out items before its summary line, so lines read upstream before downstream.
    private (int, int) Position(string key)
    {
        var (name, index) = InstanceKeys.Parse(key);
        return (_positions.GetValueOrDefault(name, int.MaxValue), index ?? int.MaxValue);
    }

    private void PrintChanges(RunState state)
    {
        foreach (var (key, block) in state.Blocks.OrderBy(b => Position(b.Key)))
        {
            if (_seen.TryGetValue(key, out var seen) && seen == (block.Status, block.Attempt))
            {
                continue;
            }

            _seen[key] = (block.Status, block.Attempt);
            if (block.Status == BlockStatus.Pending && block.Attempt == 0)
            {
                continue;
            }

            var detail = block.Status switch
            {
                BlockStatus.Running or BlockStatus.Scheduled => $"attempt {block.Attempt}",
                BlockStatus.Succeeded or BlockStatus.Cached => $"in {Durations.Between(block.StartedAt, block.EndedAt, time.GetUtcNow())}"
                    + (block.Items is { } items ? $", {items} items" : "")
                    + (block.CachedFrom is { } from ? $", output of run {from}" : ""),
                _ => RunView.Note(block, time.GetUtcNow()),
            };
            terminal.Line($"{key}: {block.Status.ToSnakeCase()}{(detail.Length > 0 ? $" ({detail})" : "")}");
        }
    }
}
