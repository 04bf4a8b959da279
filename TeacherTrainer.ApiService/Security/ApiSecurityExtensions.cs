using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Json;

namespace TeacherTrainer.ApiService.Security;

public static class ApiSecurityExtensions
{
    /// <summary>
    /// The API's defences (after Identity's services, which they guard): validation (DataAnnotations on request
    /// types, answered as RFC 7807 problem details), rate limits, problem details for the
    /// exceptions a client can cause, and the OpenAPI description of all of it.
    /// </summary>
    public static IHostApplicationBuilder AddApiSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        // Validation names fields as C# does (Email); clients know them as JSON does (email).
        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += context =>
        {
            if (context.ProblemDetails is HttpValidationProblemDetails validation) CamelCaseFieldNames(validation);
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures (unreadable JSON, a query value of the wrong type) throw, so the
        // exception handler can answer with the reason instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = 32);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(RequestGuardMiddleware.ConfigureKestrel);
        builder.Services.AddRateLimitPolicies(builder.Configuration);
        builder.Services.AddSingleton<SecurityLog>();
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddSecurityDescriptions());
        return builder;
    }

    /// <summary>
    /// Headers on every answer: no MIME sniffing, no framing, no referrer, and a content security
    /// policy that lets a JSON answer load nothing at all (the API reference page at /scalar loads
    /// its own scripts, so it only forbids framing).
    /// </summary>
    private static Task AddSecurityHeaders(HttpContext context, Func<Task> next)
    {
        // Set as the answer starts, not now: the exception handler clears the response's headers
        // before it writes its problem details (a 400 for unreadable JSON went out without them).
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar")
                ? "frame-ancestors 'none'"
                : "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            return Task.CompletedTask;
        }, context);
        return next();
    }

    internal static void CamelCaseFieldNames(HttpValidationProblemDetails validation)
    {
        var renamed = validation.Errors.ToDictionary(
            e => string.Join('.', e.Key.Split('.').Select(part => part.Length > 0 && char.IsUpper(part[0]) ? char.ToLowerInvariant(part[0]) + part[1..] : part)),
            e => e.Value);
        validation.Errors.Clear();
        foreach (var (key, value) in renamed) validation.Errors[key] = value;
    }

    /// <summary>Authentication, the security log of refusals, authorization, the request guard and rate limiting, in that order (before the output cache and the endpoints).</summary>
    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        app.Use(AddSecurityHeaders);
        // The client's own address behind the web front end (or a load balancer), for per-address
        // limits such as sign-in: trusted only from the configured proxies (TrustedProxies).
        app.UseForwardedHeaders(TrustedProxies.Options(app.Configuration));
        // Browsers are told to come back over HTTPS only (on HTTPS answers, never to localhost), as the web does.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseAuthentication();
        // After authentication (the user is known), around everything that can refuse (401/403/429).
        app.UseMiddleware<SecurityLogMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
