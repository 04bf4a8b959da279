using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Sign-in that cannot be turned against its owner: throttles instead of lock-out (per account and
/// address, a per-account slow-down, counted atomically), two-factor sign-in for staff, changing
/// a password, admin-issued reset links, and refreshes of one sign-in at the same moment.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SignInDefenceTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string NewPassword = "a heron waiting by the reeds at dawn";

    [Fact]
    public async Task Wrong_passwords_throttle_the_guessing_address_but_never_lock_the_owner_out_or_end_their_sessions()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var owner = RandomAddress();
        var (status, response) = await SignInFromAsync(owner, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, status);
        var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;

        var attacker = RandomAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await SignInFromAsync(attacker, user.Email, $"guess number {i} of many")).Status);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], statuses);
        var (rightFromAttacker, refused) = await SignInFromAsync(attacker, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightFromAttacker);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 15 * 60);

        // The owner is untouched: their session works, their refresh works, they sign in from their own address.
        using (var client = api.CreateClientWithToken(tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        }
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(owner, user.Email, user.Password)).Status);
        await using var scope = api.CreateScope();
        var stored = await api.Db(scope).Users.AsNoTracking().SingleAsync(u => u.Id == user.Id, Ct);
        Assert.Null(stored.LockoutEnd);
        Assert.False(await api.Db(scope).RefreshTokens.AnyAsync(t => t.UserId == user.Id && t.RevokedAt != null, Ct));

        // Each failure and the throttle are in the security log with the address they came from.
        Assert.Equal(5, api.FindSecurityEvents("SignInFailed", attacker).Count(e => e.Message.Contains(user.Id.ToString(), StringComparison.Ordinal)));
        Assert.NotEmpty(api.FindSecurityEvents("SignInThrottled", attacker));
    }

    [Fact]
    public async Task Parallel_guesses_are_counted_atomically()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var attacker = RandomAddress();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i => (await SignInFromAsync(attacker, user.Email, $"parallel guess {i}")).Status));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Guesses_from_many_addresses_slow_the_account_down_but_the_owner_gets_in_seconds_later()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var options = new SignInThrottleOptions();
        for (var i = 0; i < options.SlowDownAfter; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync(RandomAddress(), user.Email, $"distributed guess {i}")).Status);
        }
        var (slowed, response) = await SignInFromAsync(RandomAddress(), user.Email, "one guess too many");
        Assert.Equal(HttpStatusCode.TooManyRequests, slowed);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);

        // Not a lock: once the interval (2 s here) has passed, the right password gets in.
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(RandomAddress(), user.Email, user.Password)).Status);
    }

    [Fact]
    public async Task Staff_turn_on_an_authenticator_and_then_sign_in_with_a_code_or_a_recovery_code()
    {
        using var trainee = await api.CreateTraineeClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.PostAsync("/api/auth/two-factor/setup", null, Ct)).StatusCode);

        var user = await api.CreateUserAsync(Roles.Instructor);
        var tokens = await api.SignInForTokensAsync(user.Email, user.Password);
        using var client = api.CreateClientWithToken(tokens.AccessToken);
        var setup = await client.PostAsync("/api/auth/two-factor/setup", null, Ct);
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var body = (await setup.Content.ReadFromJsonAsync<AuthenticatorSetup>(Ct))!;
        var key = body.SharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var uri = new Uri(body.AuthenticatorUri);
        Assert.Equal(("otpauth", "totp"), (uri.Scheme, uri.Host));
        Assert.Equal($"/TeacherTrainer:{user.Email}", Uri.UnescapeDataString(uri.AbsolutePath));
        Assert.Contains($"secret={key}", uri.Query, StringComparison.Ordinal);
        Assert.Contains("issuer=TeacherTrainer", uri.Query, StringComparison.Ordinal);

        var wrong = await client.PostAsJsonAsync("/api/auth/two-factor/enable", new { code = WrongCode(key) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var enabled = await client.PostAsJsonAsync("/api/auth/two-factor/enable", new { code = Totp(key) }, Ct);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var recovery = (await enabled.Content.ReadFromJsonAsync<RecoveryCodes>(Ct))!.Codes.ToList();
        Assert.Equal(AccountApi.RecoveryCodeCount, recovery.Count);
        Assert.Single(api.FindSecurityEvents("TwoFactorChanged", user.Id.ToString()), e => e.Message.Contains("turned on", StringComparison.Ordinal));

        using var anonymous = api.CreateClient();
        var noCode = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        var problem = (await noCode.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        Assert.Equal(AuthTitles.TwoFactorRequired, problem.Title);
        Assert.True(((JsonElement)problem.Extensions["twoFactorRequired"]!).GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password, code = WrongCode(key) }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password, code = Totp(key) }, Ct)).StatusCode);
        // A wrong password with the right code is still a wrong password.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = "not the password at all", code = Totp(key) }, Ct)).StatusCode);

        // A recovery code works once.
        Assert.Equal(HttpStatusCode.OK,
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password, code = recovery[0] }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password, code = recovery[0] }, Ct)).StatusCode);

        // Turning it off needs the password; the session renews itself (the stamp changed when it was turned on).
        using var fresh = api.CreateClientWithToken((await SignInWithCodeAsync(user, key)).AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await fresh.PostAsJsonAsync("/api/auth/two-factor/disable", new { password = "not the password at all" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fresh.PostAsJsonAsync("/api/auth/two-factor/disable", new { password = user.Password }, Ct)).StatusCode);
        await api.SignInForTokensAsync(user.Email, user.Password);
    }

    [Fact]
    public async Task An_admin_can_require_two_factor_for_staff_who_are_then_asked_to_enrol()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        using var trainee = await api.CreateTraineeClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.PutAsJsonAsync("/api/admin/settings/security", new { requireTwoFactorForStaff = true }, Ct)).StatusCode);
        try
        {
            var put = await admin.PutAsJsonAsync("/api/admin/settings/security", new { requireTwoFactorForStaff = true }, Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.True((await admin.GetFromJsonAsync<SecuritySettingsView>("/api/admin/settings/security", Ct))!.RequireTwoFactorForStaff);
            Assert.True((await instructor.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!.MustEnrolTwoFactor);
            Assert.False((await trainee.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!.MustEnrolTwoFactor);
            Assert.True((await instructor.GetFromJsonAsync<TwoFactorStatus>("/api/auth/two-factor", Ct))!.Required);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/settings/security", new { requireTwoFactorForStaff = false }, Ct)).StatusCode);
        }
        Assert.False((await instructor.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!.MustEnrolTwoFactor);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_applies_the_policy_and_signs_out_other_sessions()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var here = await api.SignInForTokensAsync(user.Email, user.Password);
        var elsewhere = await api.SignInForTokensAsync(user.Email, user.Password);
        using var client = api.CreateClientWithToken(here.AccessToken);

        var wrong = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not my password at all", newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.ContainsKey("currentPassword"));
        var weak = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = user.Password, newPassword = "Password2024!" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await weak.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.ContainsKey("newPassword"));

        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = user.Password, newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var renewed = (await changed.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        using (var next = api.CreateClientWithToken(renewed.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/api/auth/me", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = elsewhere.RefreshToken }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password }, Ct)).StatusCode);
        await api.SignInForTokensAsync(user.Email, NewPassword);
        Assert.NotEmpty(api.FindSecurityEvents("PasswordChanged", user.Id.ToString()));
    }

    [Fact]
    public async Task An_admin_issues_a_single_use_reset_link_that_sets_a_new_password()
    {
        var user = await api.CreateUserAsync(Roles.Trainee);
        var session = await api.SignInForTokensAsync(user.Email, user.Password);
        using var trainee = await api.CreateTraineeClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.PostAsync($"/api/admin/users/{user.Id}/password-reset", null, Ct)).StatusCode);
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/admin/users/{Guid.NewGuid()}/password-reset", null, Ct)).StatusCode);

        var issued = await admin.PostAsync($"/api/admin/users/{user.Id}/password-reset", null, Ct);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var link = (await issued.Content.ReadFromJsonAsync<PasswordResetLink>(Ct))!;
        var token = link.Token;
        Assert.StartsWith($"/account/reset-password?user={user.Id}&token=", link.Path, StringComparison.Ordinal);
        Assert.InRange(link.ExpiresAt, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(8));
        Assert.NotEmpty(api.FindSecurityEvents("PasswordResetIssued", user.Id.ToString()));

        using var anonymous = api.CreateClient();
        var weak = await anonymous.PostAsJsonAsync("/api/auth/password/reset", new { userId = user.Id, token, newPassword = "qwertyuiopasdf" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var reset = await anonymous.PostAsJsonAsync("/api/auth/password/reset", new { userId = user.Id, token, newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await api.SignInForTokensAsync(user.Email, NewPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken }, Ct)).StatusCode);

        var again = await anonymous.PostAsJsonAsync("/api/auth/password/reset", new { userId = user.Id, token, newPassword = "another fine password for later" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.ContainsKey("token"));
        var otherUser = await anonymous.PostAsJsonAsync("/api/auth/password/reset", new { userId = Guid.NewGuid(), token, newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, otherUser.StatusCode);
    }

    [Fact]
    public async Task Two_refreshes_of_one_sign_in_at_the_same_moment_both_succeed()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var first = await api.IssueTokensAsync(user.Id);
        using var anonymous = api.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken }, Ct)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var renewed = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<TokenResponse>(Ct)));
        Assert.NotEqual(renewed[0]!.RefreshToken, renewed[1]!.RefreshToken);
        foreach (var tokens in renewed)
        {
            using var client = api.CreateClientWithToken(tokens!.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
        }
        // Each sibling goes on rotating.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = renewed[1]!.RefreshToken }, Ct)).StatusCode);
        Assert.Empty(api.FindSecurityEvents("RefreshReplayed", user.Id.ToString()));
    }

    private async Task<TokenResponse> SignInWithCodeAsync(TestUser user, string key)
    {
        using var anonymous = api.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = user.Password, code = Totp(key) }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
    }

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response)> SignInFromAsync(string address, string email, string password)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add("X-Forwarded-For", address);
        var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, response);
    }

    private static string RandomAddress() => $"198.18.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits).</summary>
    internal static string Totp(string base32Key, long? step = null)
    {
        var key = Base32Decode(base32Key);
        var counter = step ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(counter));
        var hash = HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0xf;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A code that is not valid in any step the server accepts (now, and one either side).</summary>
    private static string WrongCode(string key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var valid = new[] { Totp(key, now - 1), Totp(key, now), Totp(key, now + 1) };
        for (var i = 0; ; i++)
        {
            var candidate = (123456 + i).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!valid.Contains(candidate)) return candidate;
        }
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
