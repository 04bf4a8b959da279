using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Sign-up, sign-in, refresh, sign-out, lock-out and revocation against the real database.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string StrongPassword = "a lantern over the quiet harbour";

    [Fact]
    public async Task The_bootstrap_admin_exists_signs_in_and_is_an_admin()
    {
        using var client = api.CreateClientWithToken((await api.SignInForTokensAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).AccessToken);
        var me = (await client.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!;
        Assert.Equal(ApiFactory.AdminEmail, me.Email);
        Assert.Equal(Roles.Admin, me.Role);
    }

    [Fact]
    public async Task Passwords_are_hashed_with_PBKDF2_at_600000_iterations()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        await using var scope = api.CreateScope();
        var hash = await api.Db(scope).Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync(Ct);
        var bytes = Convert.FromBase64String(hash!);
        // Identity v3 format: 0x01, PRF (HMAC-SHA512 = 2), iteration count, salt length, salt, subkey.
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.Equal(600_000u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        Assert.DoesNotContain(user.Password, hash);
    }

    [Fact]
    public async Task Sign_up_makes_a_signed_in_trainee()
    {
        using var anonymous = api.CreateClient();
        var email = $"signup-{Guid.NewGuid():N}@tests.local";
        var response = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email, password = StrongPassword, displayName = "Priya Shah" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.True(tokens.ExpiresIn > 0);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        var me = (await client.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!;
        Assert.Equal(Roles.Trainee, me.Role);
        Assert.Equal("Priya Shah", me.DisplayName);

        var again = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email, password = StrongPassword, displayName = "Someone Else" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Theory]
    [InlineData("short", "password")]
    [InlineData("Password2024!", "password")]
    [InlineData("qwertyuiopasdf", "password")]
    [InlineData("aaaaaaaaaaaaaaaa", "password")]
    public async Task Sign_up_refuses_weak_passwords_naming_the_field(string password, string field)
    {
        using var anonymous = api.CreateClient();
        var email = $"weak-{Guid.NewGuid():N}@tests.local";
        var response = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email, password, displayName = "Weak" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!;
        Assert.True(problem.Errors.TryGetValue(field, out var reasons), string.Join(", ", problem.Errors.Keys));
        Assert.NotEmpty(reasons);
        await using var scope = api.CreateScope();
        Assert.False(await api.Db(scope).Users.AnyAsync(u => u.Email == email, Ct));
    }

    [Fact]
    public async Task Sign_up_with_an_invitation_code_joins_the_cohort_and_a_wrong_code_creates_nothing()
    {
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructor.Id);
        using var anonymous = api.CreateClient();

        var wrongEmail = $"wrong-code-{Guid.NewGuid():N}@tests.local";
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email = wrongEmail, password = StrongPassword, displayName = "W", inviteCode = "ZZZZZ-ZZZZZ" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.ContainsKey("inviteCode"));
        Assert.False(await api.Db(scope).Users.AnyAsync(u => u.Email == wrongEmail, Ct));

        var typed = cohort.InviteCode.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal);
        var response = await anonymous.PostAsJsonAsync("/api/auth/signup",
            new { email = $"with-code-{Guid.NewGuid():N}@tests.local", password = StrongPassword, displayName = "Joiner", inviteCode = typed }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var client = api.CreateClientWithToken((await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!.AccessToken);
        var me = (await client.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!;
        Assert.Contains(me.Cohorts, c => c.Id == cohort.Id && c.As == CohortRelation.Member);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        using var anonymous = api.CreateClient();
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = "not the password at all" }, Ct);
        var unknown = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = $"nobody-{Guid.NewGuid():N}@tests.local", password = "not the password at all" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var a = (await wrong.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        var b = (await unknown.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        Assert.Equal(a.Detail, b.Detail);
        Assert.Equal("Sign-in failed", a.Title);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_its_whole_family()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var first = await api.SignInForTokensAsync(user.Email, user.Password);
        using var anonymous = api.CreateClient();

        var refreshed = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        using (var client = api.CreateClientWithToken(second.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        }

        // The first token again, after the grace period for tabs renewing together: someone kept a
        // copy. Both it and its successor stop working.
        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct);
        var reused = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("already used", (await reused.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail);
        var successor = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);

        await using var scope = api.CreateScope();
        var stored = await api.Db(scope).RefreshTokens.Where(t => t.UserId == user.Id).ToListAsync(Ct);
        Assert.All(stored, t => Assert.Equal(64, t.TokenHash.Length));
        Assert.DoesNotContain(stored, t => t.TokenHash == first.RefreshToken || t.TokenHash == second.RefreshToken);
        Assert.Contains(stored, t => t.RevokedReason == "reuse-detected");
        Assert.Single(api.FindSecurityEvents("RefreshReplayed", user.Id.ToString()));
    }

    [Fact]
    public async Task Sign_out_stops_the_access_token_and_the_refresh_token_at_once()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var tokens = await api.SignInForTokensAsync(user.Email, user.Password);
        var other = await api.SignInForTokensAsync(user.Email, user.Password);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/signout", null, Ct)).StatusCode);

        var after = await client.GetAsync("/api/auth/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", after.Headers.WwwAuthenticate.ToString());
        using var otherDevice = api.CreateClientWithToken(other.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherDevice.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken }, Ct)).StatusCode);
        // Signing in again works.
        await api.SignInForTokensAsync(user.Email, user.Password);
    }

    [Fact]
    public async Task An_admin_lock_stops_the_users_tokens_at_once()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var tokens = await api.SignInForTokensAsync(user.Email, user.Password);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        using var admin = await api.CreateClientAsync(Roles.Admin);

        var locked = await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/lock", new { reason = "Shared their password" }, Ct);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.NotNull((await locked.Content.ReadFromJsonAsync<UserView>(Ct))!.LockedUntil);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var anonymous = api.CreateClient();
        var refused = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password }, Ct);
        Assert.Equal((HttpStatusCode)423, refused.StatusCode);
        Assert.Equal("Account locked", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Title);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }, Ct)).StatusCode);

        var unlocked = await admin.PostAsync($"/api/admin/users/{user.Id}/unlock", null, Ct);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        // The raw wire on purpose: an unlocked account's lockedUntil is left out, not null.
        Assert.False((await unlocked.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("lockedUntil", out _));
        await api.SignInForTokensAsync(user.Email, user.Password);
    }

    [Fact]
    public async Task A_role_change_stops_old_access_tokens_and_a_refresh_carries_the_new_role()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var tokens = await api.SignInForTokensAsync(user.Email, user.Password);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/cohorts", new { name = "Mine" }, Ct)).StatusCode);

        using var admin = await api.CreateClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{user.Id}/role", new { role = Roles.Instructor, reason = "Joined the teaching staff" }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var anonymous = api.CreateClient();
        var refreshed = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var promoted = api.CreateClientWithToken((await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Ct))!.AccessToken);
        Assert.Equal(HttpStatusCode.Created, (await promoted.PostAsJsonAsync("/api/cohorts", new { name = "Mine" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Tampered_and_foreign_tokens_are_refused_with_a_reason()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        var token = (await api.IssueTokensAsync(user.Id)).AccessToken;
        var parts = token.Split('.');
        // Claim to be someone else: the signature no longer matches.
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement(Guid.NewGuid().ToString());
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}.{parts[2]}";
        var unsigned = $"{System.Buffers.Text.Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8)}.{parts[1]}.";
        foreach (var bad in new[] { forged, unsigned, token[..^4] + "AAAA", "not-a-jwt" })
        {
            using var client = api.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bad);
            var response = await client.GetAsync("/api/admin/users", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task The_bootstrap_step_leaves_an_existing_admin_alone()
    {
        await using var scope = api.CreateScope();
        var seeder = ActivatorUtilities.CreateInstance<IdentitySeeder>(scope.ServiceProvider);
        await seeder.SeedAsync(api.Db(scope), Ct);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Single(await api.Db(scope).Users.Where(u => u.Email == ApiFactory.AdminEmail).ToListAsync(Ct));
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync(ApiFactory.AdminEmail))!, ApiFactory.AdminPassword));
    }
}
