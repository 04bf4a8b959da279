using System.Text.Json;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Sign-in rate limit and access-token expiry, on an API with short limits.</summary>
[Collection(LimitedApiCollection.Name)]
public sealed class LimitsTests(LimitedApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_with_429_and_Retry_After()
    {
        using var anonymous = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < LimitedApiFactory.SignInPermitLimit + 3; i++)
        {
            var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = $"guess{i}@tests.local", password = "guessing passwords" }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused ??= response;
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, LimitedApiFactory.SignInPermitLimit), statuses.Take(LimitedApiFactory.SignInPermitLimit));
        Assert.All(statuses.Skip(LimitedApiFactory.SignInPermitLimit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.NotNull(refused);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 300);
        // Problem details: the raw wire.
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        // Sign-up shares the limit (it is the same door).
        var signup = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email = "late@tests.local", password = "a lantern over the quiet harbour", displayName = "Late" }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, signup.StatusCode);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_and_the_refresh_token_gets_a_new_one()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        // Warm the pipeline first (JIT, the first queries): on a busy machine a cold host's first
        // authenticated call can take longer than this short-lived token lives.
        using (var warm = api.CreateClientWithToken((await api.IssueTokensAsync(user.Id)).AccessToken))
        {
            (await warm.GetAsync("/api/auth/me", Ct)).Dispose();
        }
        var tokens = await api.IssueTokensAsync(user.Id);
        Assert.Equal((int)LimitedApiFactory.AccessTokenLifetime.TotalSeconds, tokens.ExpiresIn);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);

        await Task.Delay(LimitedApiFactory.AccessTokenLifetime + TimeSpan.FromSeconds(1.5), Ct);

        var expired = await client.GetAsync("/api/auth/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", expired.Headers.WwwAuthenticate.ToString());
        // Problem details: the raw wire.
        Assert.Contains("refresh", (await expired.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());

        // Refresh shares the sign-in limiter, which the test beside this one spends: exchange the
        // token in-process here (AuthTests covers refresh over HTTP).
        await using var scope = api.CreateScope();
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TokenService>(scope.ServiceProvider);
        var (renewed, failure) = await service.RefreshAsync(tokens.RefreshToken, null, Ct);
        Assert.Equal(RefreshFailure.None, failure);
        using var again = api.CreateClientWithToken(renewed!.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    /// <summary>
    /// Behind the web front end every sign-in arrives from the web server: the web forwards the
    /// browser's address (X-Forwarded-For), the API trusts it from loopback, and each address gets
    /// its own sign-in limit.
    /// </summary>
    [Fact]
    public async Task Each_forwarded_client_address_has_its_own_sign_in_limit()
    {
        using var client = api.CreateClient();
        var first = $"203.0.113.{Random.Shared.Next(1, 120)}";
        var second = $"198.51.100.{Random.Shared.Next(1, 250)}";
        async Task<HttpStatusCode> SignInFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
            {
                Content = JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@example.org", password = "not-a-real-password-at-all" }),
            };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= LimitedApiFactory.SignInPermitLimit; i++) statuses.Add(await SignInFrom(first));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInFrom(second));
    }
}
