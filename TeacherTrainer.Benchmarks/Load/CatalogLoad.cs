using System.Diagnostics;
using System.Net.Http.Headers;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// Catalog reads (GET /api/scenarios?category=...) by signed-in users on many connections at once.
/// Cached: a handful of URLs, so after the first read each is an output-cache hit served from
/// Redis (checked by the X-Cache: HIT header). Uncached: every request has a category never seen
/// before (the cache keys only on the catalog's filters), so each is a miss that queries PostgreSQL
/// and writes the entry to Redis.
/// </summary>
public sealed class CatalogLoad(HttpClient http, string accessToken, IReadOnlyList<string> categories)
{
    public async Task<(LatencyRecorder Recorder, int Hits)> RunAsync(int connections, TimeSpan warmUp, TimeSpan measure, bool cached)
    {
        var recorder = new LatencyRecorder();
        var hits = 0;
        var clock = Stopwatch.StartNew();
        var end = warmUp + measure;
        var tasks = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var n = 0;
            while (clock.Elapsed < end)
            {
                var category = categories[(c + n++) % categories.Count];
                // The cache keys only on the catalog's own filters, so a miss needs a filter value never seen
                // before: a made-up category (an empty list: the query and the cache write, less the list's size).
                var url = cached ? $"/api/scenarios?category={category}" : $"/api/scenarios?category={category}-{Guid.NewGuid():N}";
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (clock.Elapsed < warmUp || clock.Elapsed > end) continue;
                if (!response.IsSuccessStatusCode)
                {
                    recorder.Fail((int)response.StatusCode);
                    continue;
                }
                recorder.Record(elapsed);
                if (response.Headers.Contains("X-Cache")) Interlocked.Increment(ref hits);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        return (recorder, hits);
    }
}
