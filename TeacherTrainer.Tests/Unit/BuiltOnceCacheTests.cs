using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.Tests.Unit;

public sealed class BuiltOnceCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_callers_share_one_build_and_it_is_kept()
    {
        var builds = 0;
        var release = new TaskCompletionSource();
        var cache = new BuiltOnceCache<int, string>(async key =>
        {
            Interlocked.Increment(ref builds);
            await release.Task;
            return $"value {key}";
        });
        var first = cache.GetAsync(1, Ct);
        var second = cache.GetAsync(1, Ct);
        release.SetResult();
        Assert.All(await Task.WhenAll(first, second), value => Assert.Equal("value 1", value));
        Assert.Equal("value 1", await cache.GetAsync(1, Ct));
        Assert.Equal(1, builds);
    }

    [Fact]
    public async Task A_failed_build_or_a_missing_value_is_tried_again()
    {
        var calls = 0;
        var cache = new BuiltOnceCache<int, string>(key => ++calls switch
        {
            1 => Task.FromException<string?>(new TimeoutException("database away")),
            2 => Task.FromResult<string?>(null),
            _ => Task.FromResult<string?>("back"),
        });
        await Assert.ThrowsAsync<TimeoutException>(() => cache.GetAsync(7, Ct));
        Assert.Null(await cache.GetAsync(7, Ct));
        Assert.Equal("back", await cache.GetAsync(7, Ct));
        Assert.Equal("back", await cache.GetAsync(7, Ct));
        Assert.Equal(3, calls);
    }
}
