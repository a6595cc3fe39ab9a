using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>Keeps every formatted log line, so tests can check that a refusal was logged with its reason.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<string> lines = new();

    public string[] Lines => lines.ToArray();

    public bool Contains(string fragment) => lines.Any(line => line.Contains(fragment, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
