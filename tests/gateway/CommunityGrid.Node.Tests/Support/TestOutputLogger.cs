using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>Collects a node's log lines (Information and above) with a prefix naming the node, for a failing test's output.</summary>
public sealed class CollectedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(this, categoryName);

    public ILoggerFactory Factory(string prefix) => LoggerFactory.Create(b => b.AddProvider(new Prefixed(this, prefix)));

    public void Dispose()
    {
    }

    private sealed class Prefixed(CollectedLog log, string prefix) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Sink(log, prefix);

        public void Dispose()
        {
        }
    }

    private sealed class Sink(CollectedLog log, string prefix) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log.Lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {prefix} {logLevel}: {formatter(state, exception)}");
        }
    }
}
