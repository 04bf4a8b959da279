using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TeacherTrainer.Web.Services.Auth;

namespace TeacherTrainer.Web.Extensions;

/// <summary>
/// Sign-in for the web app: a cookie whose ticket (the user and their API tokens) is kept
/// data-protected in Redis (<see cref="SessionTicketStore"/>), role policies, the circuit's user
/// (revalidated every minute), and the sign-out endpoint.
/// </summary>
public static class AuthenticationExtensions
{
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";

    /// <summary>The sign-in page, coming back to the page shown now once signed in.</summary>
    public static string SignInUrl(this NavigationManager navigation)
        => $"{SignInPath}?returnUrl={Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri))}";

    public static IHostApplicationBuilder AddWebAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "__tt-session";
                options.Cookie.HttpOnly = true;
                // Lax: a link from an email or a learning platform opens the page signed in; cross-site
                // posts still carry no session, and every form also needs its anti-forgery token.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.LoginPath = SignInPath;
                options.LogoutPath = SignOutPath;
                options.AccessDeniedPath = "/account/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                options.ExpireTimeSpan = AccountService.SessionLifetime;
                options.SlidingExpiration = true;
            });
        services.AddSingleton<SessionTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTicketStore>((options, store) => options.SessionStore = store);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Instructor, policy => policy.RequireRole(Roles.Instructor, Roles.Admin))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingAuthenticationStateProvider>();
        services.AddScoped<ApiTokenSession>();
        services.AddScoped<TokenRefresher>();
        services.AddScoped<AccountService>();
        services.TryAddSingletonTimeProvider();
        return builder;
    }

    /// <summary>POST /account/sign-out (anti-forgery checked): revokes the API tokens and ends the sign-in.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignOutPath, async (HttpContext http, AccountService accounts, [FromForm] string? returnUrl, CancellationToken cancellationToken) =>
        {
            await accounts.SignOutAsync(http, cancellationToken);
            return TypedResults.LocalRedirect(LocalUrl(returnUrl, "/"));
        }).WithName("SignOut");
        return app;
    }

    /// <summary><paramref name="url"/> if it stays on this site, else <paramref name="fallback"/> (no open redirects).</summary>
    public static string LocalUrl(string? url, string fallback)
        => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : fallback;

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
