namespace Duraflow.Api.Setup;

/// <summary>
/// Sends a workspace host's logs to the server's loggers, so they go where the server's go (its console, its
/// filters), each message starting with the workspace's name so a terminal tells the workspaces apart.
/// </summary>
internal sealed class WorkspaceLogging(ILoggerFactory server, string workspace) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Scoped(server.CreateLogger(categoryName), workspace);

    public void Dispose()
    {
        // The server's factory is the server's to dispose.
    }

    private sealed class Scoped(ILogger inner, string workspace) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            inner.Log(logLevel, eventId, state, exception, (s, e) => $"[workspace {workspace}] {formatter(s, e)}");
        }
    }
}
