using System.Collections.Concurrent;

namespace TeacherTrainer.ApiService.Data;

/// <summary>
/// Values built from records that never change once written (scenario versions and what is derived
/// from them): each is built once per process by the first caller, concurrent callers share that
/// build, and it is kept. A missing value (null) or a failed build (the database away) is not kept,
/// so the next call tries again.
/// </summary>
public sealed class BuiltOnceCache<TKey, TValue>(Func<TKey, Task<TValue?>> build)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue?>>> _values = new();

    public async Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        var lazy = _values.GetOrAdd(key, k => new Lazy<Task<TValue?>>(() => build(k)));
        TValue? value;
        try
        {
            value = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            Forget(key, lazy);
            throw;
        }
        if (value is null) Forget(key, lazy);
        return value;
    }

    /// <summary>Puts a value in ahead of need (benchmarks that run without a database).</summary>
    public void Set(TKey key, TValue value) => _values[key] = new Lazy<Task<TValue?>>(Task.FromResult<TValue?>(value));

    // Only this entry: a newer one another caller has put in its place stays.
    private void Forget(TKey key, Lazy<Task<TValue?>> lazy) => _values.TryRemove(new KeyValuePair<TKey, Lazy<Task<TValue?>>>(key, lazy));
}
