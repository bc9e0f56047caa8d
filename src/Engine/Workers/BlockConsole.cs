using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Sends what block code writes with <c>Console.Write</c> to the attempt's log instead of the process's terminal or
/// server log, where it appeared in clear and mixed with every other run's. The log is redacted before it is stored,
/// like lines written with <c>Log</c>. Writes from outside a block attempt go to the console as before.
/// </summary>
/// <remarks>
/// The console is one per process, so this writer stands in for it once and finds the attempt through an
/// <see cref="AsyncLocal{T}"/> that flows into the block's tasks. Text is collected up to each line break; what is
/// left when the attempt ends is flushed as its last line. At most 10,000 lines of 8 KiB are kept per attempt; the
/// rest are counted in a last warning line. Writes from a thread the block left running after its attempt ended are
/// dropped, never shown in clear.
/// </remarks>
internal sealed class BlockConsole : TextWriter
{
    // Per attempt: more lines than this, or longer ones, are dropped (and counted) rather than kept in memory.
    private const int MaxLines = 10_000;
    private const int MaxLineLength = 8_192;

    private static readonly AsyncLocal<Attempt?> Current = new();
    private static int _installed;

    private readonly TextWriter _console;
    private readonly LogLevel _level;

    private BlockConsole(TextWriter console, LogLevel level)
    {
        _console = console;
        _level = level;
    }

    /// <inheritdoc/>
    public override Encoding Encoding => _console.Encoding;

    /// <summary>Puts the writers in place of <see cref="Console.Out"/> and <see cref="Console.Error"/>, once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            Console.SetOut(new BlockConsole(Console.Out, LogLevel.Information));
            Console.SetError(new BlockConsole(Console.Error, LogLevel.Warning));
        }
    }

    /// <summary>Sends console writes of this async flow to <paramref name="log"/> until the returned scope ends.</summary>
    public static IDisposable Capture(BlockLog log)
    {
        var attempt = new Attempt(log);
        Current.Value = attempt;
        return attempt;
    }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        switch (Current.Value)
        {
            case { IsOpen: true } attempt:
                attempt.Append(value, _level);
                break;
            case null:
                _console.Write(value);
                break;
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        switch (Current.Value)
        {
            case { IsOpen: true } attempt:
                foreach (var c in value ?? string.Empty)
                {
                    attempt.Append(c, _level);
                }

                break;
            case null:
                _console.Write(value);
                break;
        }
    }

    /// <inheritdoc/>
    public override void Flush() => _console.Flush();

    /// <summary>One attempt's console text not yet ended by a line break, by stream.</summary>
    private sealed class Attempt(BlockLog log) : IDisposable
    {
        private readonly Dictionary<LogLevel, StringBuilder> _pending = [];
        private int _kept;
        private long _dropped;

        public bool IsOpen { get; private set; } = true;

        public void Append(char c, LogLevel level)
        {
            lock (_pending)
            {
                if (!_pending.TryGetValue(level, out var line))
                {
                    line = _pending[level] = new StringBuilder();
                }

                if (c == '\n')
                {
                    Keep(level, line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else if (line.Length < MaxLineLength)
                {
                    line.Append(c);
                }
            }
        }

        // Text after the last line break is still the block's; later writes (a thread it left running) are dropped
        // rather than sent to the console in clear.
        public void Dispose()
        {
            lock (_pending)
            {
                foreach (var (level, line) in _pending.Where(p => p.Value.Length > 0))
                {
                    Keep(level, line.ToString());
                }

                if (_dropped > 0)
                {
                    log.Write(LogLevel.Warning, string.Create(CultureInfo.InvariantCulture,
                        $"{_dropped} more lines printed with Console were dropped after the first {MaxLines}; use Log for what the run must keep"));
                }

                _pending.Clear();
                IsOpen = false;
            }

            // The rest of the attempt's own flow (reporting its outcome) writes to the console again.
            if (ReferenceEquals(Current.Value, this))
            {
                Current.Value = null;
            }
        }

        // The lines are kept in memory until the attempt's outcome is committed, so a block printing per row must not
        // be able to exhaust the worker's memory or bloat the commit.
        private void Keep(LogLevel level, string line)
        {
            if (_kept < MaxLines)
            {
                _kept++;
                log.Write(level, line);
            }
            else
            {
                _dropped++;
            }
        }
    }
}
