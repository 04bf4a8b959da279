using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// Keeps the server's error logs of an in-process API (exceptions behind a 500), so a failing
/// assertion can show what went wrong on the server: <see cref="ApiFactory.ServerErrors"/>.
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log.Entries.Enqueue($"{category}: {formatter(state, exception)}\n{exception}");
            while (log.Entries.Count > 50) log.Entries.TryDequeue(out _);
        }
    }
}
