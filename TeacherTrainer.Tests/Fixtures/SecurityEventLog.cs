using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>The security log's events (category <c>TeacherTrainer.Security</c>) of an in-process API, for tests to find.</summary>
public sealed class SecurityEventLog : ILoggerProvider
{
    public sealed record Entry(int EventId, string EventName, string Message, IReadOnlyDictionary<string, object?> Properties);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    /// <summary>Events of this name whose message mentions <paramref name="text"/> (an id, an address).</summary>
    public IReadOnlyList<Entry> Find(string eventName, string text)
        => Entries.Where(e => e.EventName == eventName && e.Message.Contains(text, StringComparison.Ordinal)).ToList();

    public ILogger CreateLogger(string categoryName) => categoryName == "TeacherTrainer.Security" ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose() { }

    private sealed class Logger(SecurityEventLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            log.Entries.Enqueue(new Entry(eventId.Id, eventId.Name ?? "", formatter(state, exception), properties));
            while (log.Entries.Count > 5000) log.Entries.TryDequeue(out _);
        }
    }
}
