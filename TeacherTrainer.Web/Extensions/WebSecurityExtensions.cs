using System.Security.Cryptography;
using Microsoft.AspNetCore.CookiePolicy;

namespace TeacherTrainer.Web.Extensions;

/// <summary>
/// Browser-facing defences: a content security policy with a per-request script nonce, no MIME
/// sniffing, no framing, a strict referrer policy, and cookies that are HttpOnly, SameSite=Lax at
/// least (the anti-forgery cookie Strict) and Secure (over plain HTTP only in Development). Anti-forgery tokens guard every form
/// (<c>UseAntiforgery</c>), their cookie under the same rules.
/// </summary>
public static class WebSecurityExtensions
{
    private const string NonceKey = "csp-nonce";

    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.Configure<CookiePolicyOptions>(o =>
        {
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.Secure = secure;
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__tt-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = secure;
        });
        return builder;
    }

    /// <summary>Adds the security headers to every response, and the cookie policy.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        var development = app.Environment.IsDevelopment();
        app.Use((context, next) =>
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = string.Join("; ",
                "default-src 'self'",
                $"script-src 'self' 'nonce-{nonce}'",
                // Blazor sets inline styles (reconnect dialog, error UI).
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "font-src 'self'",
                // The interactive circuit is a WebSocket to this origin; dotnet watch's refresh socket in Development.
                development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'");
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
        app.UseCookiePolicy();
        return app;
    }

    /// <summary>The nonce that inline scripts of this response must carry (<c>&lt;ImportMap nonce="..." /&gt;</c>).</summary>
    public static string CspNonce(this HttpContext? context)
        => context?.Items[NonceKey] as string ?? "";
}
