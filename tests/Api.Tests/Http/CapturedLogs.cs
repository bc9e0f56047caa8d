using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Duraflow.Api.Tests.Http;

/// <summary>A logger provider that keeps every message, with its exception, at every level.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                line += " " + string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"));
            }

            logs.Lines.Enqueue(line);
        }
    }
}
