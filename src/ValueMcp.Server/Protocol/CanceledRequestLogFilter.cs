using Microsoft.Extensions.Logging;

namespace ValueMcp.Server.Protocol;

/// <summary>
/// Wraps a logger provider so that the MCP SDK's report of a request that ended by cancellation (an
/// OperationCanceledException: the client cancelled it, or the session ended while it was open, as a 2026-07-28
/// client's subscriptions/listen always is) is not logged as a failure with a stack trace. Every other entry passes.
/// </summary>
public sealed class CanceledRequestLogFilter(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith("ModelContextProtocol", StringComparison.Ordinal) ? new Filtered(logger) : logger;
    }

    public void Dispose() => inner.Dispose();

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is OperationCanceledException) return;
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
