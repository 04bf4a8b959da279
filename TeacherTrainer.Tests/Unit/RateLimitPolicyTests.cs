using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// The practice and evaluation policies, on a small in-test app (their endpoints belong to other
/// features): per user, 429 with Retry-After and problem details, administrators exempt.
/// </summary>
public sealed class RateLimitPolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(RateLimitPolicies.Practice)]
    [InlineData(RateLimitPolicies.Evaluation)]
    public async Task Each_user_has_their_own_limit_and_admins_have_none(string policy)
    {
        await using var app = await StartAsync(policy, permitLimit: 3);
        using var client = app.GetTestClient();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "alice", Roles.Trainee)).StatusCode);
        var refused = await SendAsync(client, "alice", Roles.Trainee);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync(Ct));

        // Another user is not affected; instructors are limited like trainees; admins never.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "bob", Roles.Instructor)).StatusCode);
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "root", Roles.Admin)).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string user, string role)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/probe");
        request.Headers.Add("X-Test-User", user);
        request.Headers.Add("X-Test-Role", role);
        return client.SendAsync(request, Ct);
    }

    private static async Task<WebApplication> StartAsync(string policy, int permitLimit)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"RateLimits:{char.ToUpperInvariant(policy[0])}{policy[1..]}:PermitLimit"] = permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"RateLimits:{char.ToUpperInvariant(policy[0])}{policy[1..]}:Window"] = "00:01:00",
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication("test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("test", null);
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimitPolicies(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapPost("/probe", () => "ok").RequireRateLimiting(policy);
        await app.StartAsync();
        return app;
    }

    /// <summary>Signs the request in as the user named in its headers, with a stable id per name.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-User", out var name)) return Task.FromResult(AuthenticateResult.NoResult());
            var id = new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name.ToString())));
            var identity = new ClaimsIdentity(
                [new Claim(ClaimsPrincipalExtensions.UserIdClaim, id.ToString()), new Claim(ClaimsPrincipalExtensions.RoleClaim, Request.Headers["X-Test-Role"].ToString())],
                "test", ClaimsPrincipalExtensions.NameClaim, ClaimsPrincipalExtensions.RoleClaim);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "test")));
        }
    }
}
