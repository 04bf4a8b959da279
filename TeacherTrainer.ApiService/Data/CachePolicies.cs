using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;

namespace TeacherTrainer.ApiService.Data;

/// <summary>
/// Output-cache policies for read endpoints whose answer is the same for every signed-in user.
/// Each policy names the query parameters its endpoint reads, and the cache key holds those and
/// nothing else: any other parameter (<c>?x=1</c>, <c>?x=2</c> ...) and the Host header reach the
/// same entry, so nobody can fill Redis by varying what the endpoint ignores.
/// </summary>
public static class CachePolicies
{
    /// <summary>The scenario catalog (<c>GET /api/scenarios</c>): its filters and search text.</summary>
    public const string Catalog = "catalog";

    /// <summary>One scenario's briefing (<c>GET /api/scenarios/{slug}</c>): the path only.</summary>
    public const string Briefing = "briefing";

    public const string ScenarioTag = "scenarios";

    /// <summary>The query parameters of <c>ScenariosApi.ListScenariosAsync</c>.</summary>
    internal static readonly string[] CatalogQuery = ["category", "gradeBand", "difficulty", "q"];

    public static void AddPolicies(OutputCacheOptions options)
    {
        options.AddPolicy(Catalog, new SharedReadPolicy(TimeSpan.FromMinutes(10), ScenarioTag, CatalogQuery));
        options.AddPolicy(Briefing, new SharedReadPolicy(TimeSpan.FromMinutes(10), ScenarioTag, []));
    }

    /// <summary>
    /// Caches a response shared by all users. The default policy refuses authenticated requests;
    /// authorization has already run (the cache middleware sits after it), and these answers hold
    /// nothing user-specific, so one entry serves everyone. Varies by the declared query keys only.
    /// </summary>
    private sealed class SharedReadPolicy(TimeSpan duration, string tag, string[] queryKeys) : IOutputCachePolicy
    {
        private readonly StringValues _queryKeys = new(queryKeys);

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var request = context.HttpContext.Request;
            var cacheable = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = duration;
            // Explicit, never "*": an empty list means the query string is not part of the key at all.
            context.CacheVaryByRules.QueryKeys = _queryKeys;
            // The answer is the same whatever Host the client names; behind a load balancer every
            // replica then shares one entry, and a made-up Host header cannot add entries either.
            context.CacheVaryByRules.VaryByHost = false;
            context.Tags.Add(tag);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            context.HttpContext.Response.Headers["X-Cache"] = "HIT";
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            // Only successful answers are shared, never one that sets a cookie.
            if (response.StatusCode != StatusCodes.Status200OK || !StringValues.IsNullOrEmpty(response.Headers.SetCookie))
            {
                context.AllowCacheStorage = false;
            }
            return ValueTask.CompletedTask;
        }
    }
}
