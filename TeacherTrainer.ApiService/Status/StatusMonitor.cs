namespace TeacherTrainer.ApiService.Status;

/// <summary>
/// Keeps the last status report for <c>Status:CacheSeconds</c> (5 by default) and makes a new one
/// at most once at a time: callers arriving while a check runs wait for that check. A status probe
/// embeds a sentence, searches vectors and may ask the language model, so it must never run once
/// per request. The check runs on its own timeout, not the first caller's, so a caller that goes
/// away does not cancel the report the others are waiting for.
/// </summary>
public sealed class StatusMonitor(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration) : IDisposable
{
    private static readonly TimeSpan CheckBudget = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _maxAge = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Status:CacheSeconds", 5)));
    private StatusReport? _last;

    /// <summary>How many reports have been made (for tests and the dashboard's curiosity).</summary>
    public int Checks { get; private set; }

    public async Task<StatusReport> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_last) is { } cached) return cached;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_last) is { } made) return made;
            using var budget = new CancellationTokenSource(CheckBudget);
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<StatusService>().CheckAsync(budget.Token);
            Checks++;
            _last = report;
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    private StatusReport? Fresh(StatusReport? report)
        => report is not null && time.GetUtcNow() - report.CheckedAt < _maxAge ? report : null;

    public void Dispose() => _gate.Dispose();
}
