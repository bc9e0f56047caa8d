using Duraflow.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Workers;

/// <summary>
/// The logger a block attempt writes to. Lines are kept in memory and stored with the attempt's outcome, in the same
/// commit, so a run's log never mentions an attempt the run does not know about.
/// </summary>
internal sealed class BlockLog(string key, int attempt, TimeProvider time) : ILogger
{
    private readonly List<LogLine> _lines = [];

    public IReadOnlyList<LogLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message} {exception.GetType().Name}: {exception.Message}";
        }

        Write(logLevel, message);
    }

    public void Write(LogLevel level, string message)
    {
        lock (_lines)
        {
            _lines.Add(new LogLine(time.GetUtcNow(), key, attempt, level.ToString().ToLowerInvariant(), message));
        }
    }
}
