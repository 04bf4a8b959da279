using StackExchange.Redis;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The output cache keys on what each endpoint reads and nothing else: a parameter the endpoint
/// ignores, or another Host header, reaches the same Redis entry instead of making a new one, so
/// nobody can fill the cache by varying them.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OutputCacheTests(ApiFactory api)
{
    private const int Variations = 20;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/scenarios?category=classroom-disruption")]
    [InlineData("/api/scenarios/year1-lego-rocket-tidy-up-refusal")]
    public async Task Parameters_the_endpoint_does_not_read_and_the_Host_header_hit_the_same_entry(string url)
    {
        using var client = await api.CreateTraineeClientAsync();
        (await client.GetAsync(url, Ct)).EnsureSuccessStatusCode();
        var marker = $"fill{Guid.NewGuid():N}";
        var separator = url.Contains('?') ? '&' : '?';

        for (var n = 1; n <= Variations; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}{separator}x={marker}{n}&{marker}={n}");
            request.Headers.Host = $"{marker}{n}.example";
            using var response = await client.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
            Assert.True(response.Headers.Contains("X-Cache"), $"variation {n} was not served from the cache");
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(api.RedisConnectionString);
        var keys = redis.GetServers()[0].Keys(redis.GetDatabase().Database, "teachertrainer:*").Select(k => k.ToString()).ToList();
        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => k.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_catalog_still_varies_by_the_filters_it_declares()
    {
        using var client = await api.CreateTraineeClientAsync();
        var category = $"none-{Guid.NewGuid():N}";

        var first = await client.GetAsync($"/api/scenarios?category={category}", Ct);
        var second = await client.GetAsync($"/api/scenarios?category={category}", Ct);
        var other = await client.GetAsync($"/api/scenarios?category={category}&difficulty=hard", Ct);

        Assert.False(first.Headers.Contains("X-Cache"));
        Assert.True(second.Headers.Contains("X-Cache"));
        Assert.False(other.Headers.Contains("X-Cache"));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(api.RedisConnectionString);
        var keys = redis.GetServers()[0].Keys(redis.GetDatabase().Database, "teachertrainer:*").Select(k => k.ToString()).ToList();
        Assert.Equal(2, keys.Count(k => k.Contains(category, StringComparison.OrdinalIgnoreCase)));
    }
}
