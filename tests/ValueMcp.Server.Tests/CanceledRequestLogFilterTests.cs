using Microsoft.Extensions.Logging;
using ValueMcp.Server.Protocol;

namespace ValueMcp.Server.Tests;

/// <summary>
/// CanceledRequestLogFilter: the SDK's report of a request ended by cancellation (a 2026-07-28 client's
/// subscriptions/listen when the stdio session ends) is not logged as a failure with a stack trace; everything else is.
/// </summary>
public sealed class CanceledRequestLogFilterTests
{
    private sealed class Recorder : ILoggerProvider, ILogger
    {
        public List<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];
        private string _category = "";

        public ILogger CreateLogger(string categoryName)
        {
            _category = categoryName;
            return this;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((_category, logLevel, formatter(state, exception), exception));

        public void Dispose()
        {
        }
    }

    [Fact]
    public void A_cancelled_sdk_request_is_dropped_and_every_other_entry_passes()
    {
        var recorder = new Recorder();
        var filter = new CanceledRequestLogFilter(recorder);

        var sdk = filter.CreateLogger("ModelContextProtocol.Server.McpServer");
        sdk.LogWarning(new OperationCanceledException(), "method 'subscriptions/listen' request handler failed");
        sdk.LogWarning(new TaskCanceledException(), "method 'tools/call' request handler failed");
        sdk.LogWarning(new InvalidOperationException("boom"), "method 'tools/call' request handler failed");
        sdk.LogInformation("method 'tools/list' request handler called");
        var ours = filter.CreateLogger("ValueMcp.Server.Protocol.StdioGate");
        ours.LogWarning(new OperationCanceledException(), "ours, cancelled");

        recorder.Entries.Select(e => e.Message).Should().Equal(
            "method 'tools/call' request handler failed", "method 'tools/list' request handler called", "ours, cancelled");
        recorder.Entries[0].Exception.Should().BeOfType<InvalidOperationException>();
    }
}
