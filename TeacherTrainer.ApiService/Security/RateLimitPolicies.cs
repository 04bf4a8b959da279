using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Named rate-limit policies. Put one on an endpoint with <c>.RequireRateLimiting(RateLimitPolicies.Practice)</c>.
/// Practice and evaluation are limited per user (administrators are exempt: bulk evaluation and
/// imports); sign-in and sign-up per client address. A refused request gets 429, a Retry-After
/// header and problem details. Limits come from configuration <c>RateLimits:{Policy}:PermitLimit</c>
/// and <c>RateLimits:{Policy}:Window</c>.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Practice turns and sessions: per user.</summary>
    public const string Practice = "practice";

    /// <summary>Evaluations: per user.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>Sign-in, sign-up and refresh: per client IP address (brute force; lock-out covers each account).</summary>
    public const string SignIn = "sign-in";

    public static IServiceCollection AddRateLimitPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("RateLimits").Get<RateLimitSettings>() ?? new RateLimitSettings();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Practice, context => PerUser(context, Practice, settings.Practice));
            options.AddPolicy(Evaluation, context => PerUser(context, Evaluation, settings.Evaluation));
            options.AddPolicy(SignIn, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => settings.SignIn.ToOptions()));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var context = rejected.HttpContext;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"You have reached the limit for this kind of request; try again in {seconds} s.");
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerUser(HttpContext context, string policy, WindowLimit limit)
    {
        var user = context.User;
        if (user.IsInRole(Roles.Admin)) return RateLimitPartition.GetNoLimiter($"{policy}:admin");
        var key = CallerClaims.TryReadUserId(user, out var id) ? id.ToString("N") : "anonymous:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter($"{policy}:{key}", _ => limit.ToOptions());
    }
}

public sealed class RateLimitSettings
{
    public WindowLimit Practice { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };
    public WindowLimit Evaluation { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each <see cref="Window"/>; none queue.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public FixedWindowRateLimiterOptions ToOptions() => new()
    {
        PermitLimit = Math.Max(1, PermitLimit),
        Window = Window > TimeSpan.Zero ? Window : TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
