using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Identity;

public static class IdentityServiceExtensions
{
    /// <summary>PBKDF2 iterations: OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (Identity uses HMAC-SHA512, for which OWASP asks 210,000).</summary>
    public const int PasswordHashIterations = 600_000;

    /// <summary>
    /// ASP.NET Core Identity on EF Core, the password rules, lock-out, JWT bearer authentication
    /// with revocation, and the authorization policies (a signed-in user unless an endpoint says otherwise).
    /// </summary>
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddOptions<BootstrapOptions>().Bind(builder.Configuration.GetSection(BootstrapOptions.Section));

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = PasswordPolicy.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                // Locks are an administrator's act only: wrong passwords are throttled (SignInThrottle),
                // never answered with a lock that a stranger could use against the owner.
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = int.MaxValue;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<TeacherDbContext>()
            .AddPasswordValidator<PasswordPolicyValidator>()
            // Authenticator (TOTP) codes for two-factor sign-in; data-protected reset tokens for reset links.
            .AddDefaultTokenProviders();
        services.AddDataProtection();
        services.Configure<DataProtectionTokenProviderOptions>(o =>
            o.TokenLifespan = builder.Configuration.GetValue("Identity:PasswordResetLifetime", TimeSpan.FromHours(24)));
        services.AddOptions<SignInThrottleOptions>().Bind(builder.Configuration.GetSection(SignInThrottleOptions.Section));
        services.AddScoped<SignInThrottle>();
        services.AddScoped<SecuritySettings>();
        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = PasswordHashIterations;
        });
        services.AddSingleton(_ => CommonPasswordList.Load());
        services.AddSingleton<PasswordPolicy>();
        services.AddMemoryCache();
        services.AddSingleton<TokenRevocationCheck>();
        services.AddScoped<TokenService>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) => ConfigureBearer(bearer, jwt.Value));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || IsRoutingRejection(context.Resource))
                .Build())
            .AddPolicy(Policies.Instructor, p => p.RequireAuthenticatedUser().RequireRole(Roles.Instructor, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>
    /// Routing's own 405 and 415 answers (wrong method, wrong content type) are endpoints too, with
    /// no rule of their own: let them answer anyone, so a caller of an anonymous endpoint learns
    /// the real problem rather than "sign in".
    /// </summary>
    private static bool IsRoutingRejection(object? resource)
        => resource is HttpContext http && http.GetEndpoint()?.DisplayName is "405 HTTP Method Not Supported" or "415 HTTP Unsupported Media Type";

    /// <summary>One line of plain ASCII for <c>WWW-Authenticate</c>: expired, revoked (our own reasons), or not valid.</summary>
    internal static string DescribeFailure(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The access token has expired",
        _ when TokenRevocationCheck.Reasons.Contains(failure.Message) => failure.Message,
        _ => "The access token is not valid",
    };

    private static void ConfigureBearer(JwtBearerOptions bearer, JwtOptions jwt)
    {
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKey = jwt.CreateSigningKey(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = jwt.ClockSkew,
            RequireExpirationTime = true,
            NameClaimType = ClaimsPrincipalExtensions.NameClaim,
            RoleClaimType = ClaimsPrincipalExtensions.RoleClaim,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var check = context.HttpContext.RequestServices.GetRequiredService<TokenRevocationCheck>();
                var db = context.HttpContext.RequestServices.GetRequiredService<TeacherDbContext>();
                var failure = await check.CheckAsync(context.Principal ?? new ClaimsPrincipal(), db, context.HttpContext.RequestAborted);
                if (failure is not null) context.Fail(failure);
            },
            // 401 and 403 answer with problem details that say what to do. The reason is one of a few
            // fixed sentences, never the library's message: that can span lines (a header value
            // cannot, so it was a 500) and quotes the token back.
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var response = context.Response;
                response.StatusCode = StatusCodes.Status401Unauthorized;
                var description = context.AuthenticateFailure is null ? null : DescribeFailure(context.AuthenticateFailure);
                response.Headers.WWWAuthenticate = description is null
                    ? "Bearer"
                    : $"Bearer error=\"invalid_token\", error_description=\"{description}\"";
                await ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required",
                    description is null ? "Send a bearer token: 'Authorization: Bearer <accessToken>' from POST /api/auth/token."
                        : description + (context.AuthenticateFailure is SecurityTokenExpiredException
                            ? "; refresh it at POST /api/auth/refresh or sign in again." : "; sign in again."));
            },
            OnForbidden = context => ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                "Your role does not allow this request."),
        };
    }

}
