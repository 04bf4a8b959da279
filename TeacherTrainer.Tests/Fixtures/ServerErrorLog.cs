using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// Keeps the server's error logs of an in-process API (exceptions behind a 500), so a failing
/// assertion can show what went wrong on the server: <see cref="ApiFactory.ServerErrors"/>. Also
/// appended to artifacts/test-results/server-errors.log, to read after a failed run (CI keeps it).
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private static readonly Lock FileGate = new();
    private static readonly string FilePath = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "test-results", "server-errors.log");

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
            var entry = $"{category}: {formatter(state, exception)}\n{exception}";
            log.Entries.Enqueue(entry);
            lock (FileGate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                File.AppendAllText(FilePath, $"{DateTimeOffset.UtcNow:O} {entry}\n\n");
            }
            while (log.Entries.Count > 50) log.Entries.TryDequeue(out _);
        }
    }
}
