using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace TeacherTrainer.ApiService.Data;

/// <summary>
/// The Redis output cache, made optional: while Redis is away every read is a miss and every write
/// is skipped, at once (no waiting on a dead connection), so cached endpoints answer from the
/// database instead of failing. Tag evictions that could not reach Redis are kept and sent when it
/// is back, so content changed during an outage is never served stale from entries written before it.
/// </summary>
public sealed class ResilientOutputCacheStore(IOutputCacheStore inner, IConnectionMultiplexer redis, ILogger<ResilientOutputCacheStore> logger)
    : IOutputCacheBufferStore
{
    private readonly ConcurrentDictionary<string, byte> _pendingEvictions = new(StringComparer.Ordinal);
    private long _lastWarning;

    /// <summary>Whether the cache is being used now (Redis connected).</summary>
    public bool Available => redis.IsConnected;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(cancellationToken)) return null;
        try
        {
            return await inner.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Warn(ex);
            return null;
        }
    }

    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(cancellationToken)) return false;
        try
        {
            if (inner is IOutputCacheBufferStore buffered) return await buffered.TryGetAsync(key, destination, cancellationToken);
            var bytes = await inner.GetAsync(key, cancellationToken);
            if (bytes is null) return false;
            await destination.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Warn(ex);
            return false;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(cancellationToken)) return;
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Warn(ex);
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(cancellationToken)) return;
        try
        {
            if (inner is IOutputCacheBufferStore buffered) await buffered.SetAsync(key, value, tags, validFor, cancellationToken);
            else await inner.SetAsync(key, value.ToArray(), tags.ToArray(), validFor, cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Warn(ex);
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        _pendingEvictions[tag] = 0;
        await ReadyAsync(cancellationToken);
    }

    /// <summary>Whether Redis can be used now; first sends any evictions an outage held back.</summary>
    private async ValueTask<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return false;
        // Every cached read passes here: the usual case (nothing held back) costs no allocation.
        if (_pendingEvictions.IsEmpty) return true;
        foreach (var (tag, _) in _pendingEvictions)
        {
            try
            {
                await inner.EvictByTagAsync(tag, cancellationToken);
                _pendingEvictions.TryRemove(tag, out _);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                Warn(ex);
                return false;
            }
        }
        return true;
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    private void Warn(Exception ex)
    {
        // At most one warning every ten seconds: an outage must not flood the logs.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastWarning, now, last) != last) return;
        logger.LogWarning(ex, "Output cache bypassed: Redis is unavailable");
    }
}
