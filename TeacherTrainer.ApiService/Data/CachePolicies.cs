using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;

namespace TeacherTrainer.ApiService.Data;

/// <summary>Output-cache policies for read endpoints whose answer is the same for every signed-in user.</summary>
public static class CachePolicies
{
    public const string Catalog = "catalog";
    public const string ScenarioTag = "scenarios";

    public static void AddPolicies(OutputCacheOptions options)
    {
        options.AddPolicy(Catalog, new SharedReadPolicy(TimeSpan.FromMinutes(10), ScenarioTag));
    }

    /// <summary>
    /// Caches a response shared by all users. The default policy refuses authenticated requests;
    /// authorization has already run (the cache middleware sits after it), and these answers hold
    /// nothing user-specific, so one entry serves everyone. Varies by the whole query string.
    /// </summary>
    private sealed class SharedReadPolicy(TimeSpan duration, string tag) : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var request = context.HttpContext.Request;
            var cacheable = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = duration;
            context.CacheVaryByRules.QueryKeys = "*";
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
