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
/// left when the attempt ends is flushed as its last line.
/// </remarks>
internal sealed class BlockConsole : TextWriter
{
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
        if (Current.Value is { IsOpen: true } attempt)
        {
            attempt.Append(value, _level);
        }
        else
        {
            _console.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (Current.Value is { IsOpen: true } attempt)
        {
            foreach (var c in value ?? string.Empty)
            {
                attempt.Append(c, _level);
            }
        }
        else
        {
            _console.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Flush() => _console.Flush();

    /// <summary>One attempt's console text not yet ended by a line break, by stream.</summary>
    private sealed class Attempt(BlockLog log) : IDisposable
    {
        private readonly Dictionary<LogLevel, StringBuilder> _pending = [];

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
                    log.Write(level, line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        // Text after the last line break is still the block's; later writes (a thread it left running) go to the console.
        public void Dispose()
        {
            lock (_pending)
            {
                foreach (var (level, line) in _pending.Where(p => p.Value.Length > 0))
                {
                    log.Write(level, line.ToString());
                }

                _pending.Clear();
                IsOpen = false;
            }
        }
    }
}
