using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// The signed-in user's own account: change the password; for staff, two-factor sign-in with an
/// authenticator app (key, otpauth URI, verify, recovery codes); and setting a new password with
/// a reset link an administrator issued (<see cref="Admin.AdminApi"/>).
/// </summary>
public static class AccountApi
{
    private const long MaxBodyBytes = 16 * 1024;

    /// <summary>The issuer name authenticator apps show beside the account.</summary>
    public const string AuthenticatorIssuer = "TeacherTrainer";

    public const int RecoveryCodeCount = 10;

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Account").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapPost("/password", ChangePasswordAsync)
            .WithName("ChangePassword")
            .WithSummary("Changes the signed-in user's password (current + new); signs out every other session and returns new tokens for this one.")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/password/reset", ResetPasswordAsync)
            .WithName("ResetPassword")
            .WithSummary("Sets a new password with a single-use, expiring reset link an administrator issued; signs out every session.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        var twoFactor = api.MapGroup("/two-factor").RequireAuthorization(Policies.Instructor);
        twoFactor.MapGet("/", GetTwoFactorAsync)
            .WithName("GetTwoFactor")
            .WithSummary("Whether two-factor sign-in is on for the signed-in staff member, whether it is required, and recovery codes left.");
        twoFactor.MapPost("/setup", SetUpTwoFactorAsync)
            .WithName("SetUpTwoFactor")
            .WithSummary("A new authenticator key (and its otpauth URI) to add to an authenticator app; confirm with POST /enable.");
        twoFactor.MapPost("/enable", EnableTwoFactorAsync)
            .WithName("EnableTwoFactor")
            .WithSummary("Turns two-factor sign-in on with a code from the authenticator app; returns recovery codes (shown once).");
        twoFactor.MapPost("/disable", DisableTwoFactorAsync)
            .WithName("DisableTwoFactor")
            .WithSummary("Turns two-factor sign-in off (needs the password); refused while an admin requires it for staff.");
        twoFactor.MapPost("/recovery-codes", NewRecoveryCodesAsync)
            .WithName("NewRecoveryCodes")
            .WithSummary("Replaces the recovery codes (needs a current authenticator code); the old ones stop working.");
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, NotFoundProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, [AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        var changed = await s.Users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!changed.Succeeded)
        {
            if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                s.SecurityLog.SignInFailed(user.Id.ToString(), s.Address, "wrong current password when changing it");
                return ApiProblems.Invalid("currentPassword", "The current password is not right.");
            }
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["newPassword"] = changed.Errors.Select(e => e.Description).ToArray(),
            }, title: "The new password was refused");
        }
        // Everyone else holding this account's tokens (another device, a thief) is signed out; this session carries on.
        await s.Tokens.RevokeAllAsync(user, "password-changed", ct);
        s.SecurityLog.PasswordChanged(user.Id.ToString(), user.Id.ToString(), "by the user, other sessions signed out");
        return TypedResults.Ok(await s.Tokens.IssueAsync(user, cancellationToken: ct));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ResetPasswordAsync(
        ResetPasswordRequest request, [AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(request.UserId.ToString());
        // The same answer for an unknown user as for a spent link: the link is what is wrong.
        if (user is null) return InvalidLink(s, null);
        var reset = await s.Users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!reset.Succeeded)
        {
            if (reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) return InvalidLink(s, user.Id.ToString());
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["newPassword"] = reset.Errors.Select(e => e.Description).ToArray(),
            }, title: "The new password was refused");
        }
        // Resetting changed the security stamp, so this link (and any other) is spent; every session ends.
        await s.Tokens.RevokeAllAsync(user, "password-reset", ct);
        s.SecurityLog.PasswordChanged(user.Id.ToString(), user.Id.ToString(), "with a reset link, all sessions signed out");
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<TwoFactorStatus>, NotFoundProblem>> GetTwoFactorAsync([AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        return TypedResults.Ok(await StatusAsync(s, user, ct));
    }

    public static async Task<Results<Ok<AuthenticatorSetup>, NotFoundProblem, ConflictProblem>> SetUpTwoFactorAsync([AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        if (await s.Users.GetTwoFactorEnabledAsync(user))
            return IdentityProblems.NotNow("Two-factor sign-in is already on; turn it off first to move to another authenticator.");
        // A fresh key each time, so a key shown on a screen someone else saw is never the one that ends up
        // in use. Stored through the store, not ResetAuthenticatorKeyAsync: that also changes the security
        // stamp, which would sign the user out everywhere for merely looking at a new key.
        var key = s.Users.GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<AppUser>)s.Store).SetAuthenticatorKeyAsync(user, key, ct);
        await s.Users.UpdateAsync(user);
        return TypedResults.Ok(new AuthenticatorSetup(FormatKey(key), AuthenticatorUri(user.Email ?? user.Id.ToString(), key)));
    }

    public static async Task<Results<Ok<RecoveryCodes>, NotFoundProblem, ValidationProblem, ConflictProblem>> EnableTwoFactorAsync(
        TwoFactorCodeRequest request, [AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        if (await s.Users.GetTwoFactorEnabledAsync(user)) return IdentityProblems.NotNow("Two-factor sign-in is already on.");
        if (string.IsNullOrEmpty(await s.Users.GetAuthenticatorKeyAsync(user))) return IdentityProblems.NotNow("Set up an authenticator first (POST /api/auth/two-factor/setup).");
        var code = TwoFactorCodes.Normalize(request.Code);
        if (!await s.Users.VerifyTwoFactorTokenAsync(user, s.Users.Options.Tokens.AuthenticatorTokenProvider, code))
            return ApiProblems.Invalid("code", "That code is not right: check the app shows TeacherTrainer and enter the code shown now.");
        // Changes the security stamp: this session's access token is renewed by its refresh token (which still works).
        await s.Users.SetTwoFactorEnabledAsync(user, true);
        s.Revocation.Forget(user.Id);
        var codes = await s.Users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        s.SecurityLog.TwoFactorChanged(user.Id.ToString(), user.Id.ToString(), "turned on");
        return TypedResults.Ok(new RecoveryCodes(codes.ToList()));
    }

    public static async Task<Results<NoContent, NotFoundProblem, ValidationProblem, ConflictProblem>> DisableTwoFactorAsync(
        DisableTwoFactorRequest request, [AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        if (!await s.Users.GetTwoFactorEnabledAsync(user)) return TypedResults.NoContent();
        if (await s.Settings.RequireTwoFactorForStaffAsync(ct))
            return IdentityProblems.NotNow("An administrator requires two-factor sign-in for staff: it cannot be turned off.");
        // A stolen access token alone must not be enough to remove the second factor.
        if (!await s.Users.CheckPasswordAsync(user, request.Password))
        {
            s.SecurityLog.SignInFailed(user.Id.ToString(), s.Address, "wrong password when turning two-factor off");
            return ApiProblems.Invalid("password", "The password is not right.");
        }
        await s.Users.SetTwoFactorEnabledAsync(user, false);
        await s.Users.ResetAuthenticatorKeyAsync(user);
        // Both change the security stamp: access tokens renew through their refresh tokens.
        s.Revocation.Forget(user.Id);
        s.SecurityLog.TwoFactorChanged(user.Id.ToString(), user.Id.ToString(), "turned off");
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RecoveryCodes>, NotFoundProblem, ValidationProblem, ConflictProblem>> NewRecoveryCodesAsync(
        TwoFactorCodeRequest request, [AsParameters] AccountServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is null) return IdentityProblems.UnknownUser();
        if (!await s.Users.GetTwoFactorEnabledAsync(user)) return IdentityProblems.NotNow("Two-factor sign-in is off.");
        if (!await s.Users.VerifyTwoFactorTokenAsync(user, s.Users.Options.Tokens.AuthenticatorTokenProvider, TwoFactorCodes.Normalize(request.Code)))
            return ApiProblems.Invalid("code", "That code is not right.");
        var codes = await s.Users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        s.SecurityLog.TwoFactorChanged(user.Id.ToString(), user.Id.ToString(), "recovery codes replaced");
        return TypedResults.Ok(new RecoveryCodes(codes.ToList()));
    }

    private static async Task<TwoFactorStatus> StatusAsync(AccountServices s, AppUser user, CancellationToken ct)
        => new(await s.Users.GetTwoFactorEnabledAsync(user), await s.Settings.RequireTwoFactorForStaffAsync(ct),
            await s.Users.CountRecoveryCodesAsync(user));

    /// <summary>The key in groups of four, easier to type into an app by hand.</summary>
    private static string FormatKey(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (builder.Length > 0) builder.Append(' ');
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return builder.ToString().ToLowerInvariant();
    }

    /// <summary>The Key URI Format authenticator apps read (Google Authenticator's otpauth://totp/...).</summary>
    public static string AuthenticatorUri(string account, string key)
        => string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{UrlEncoder.Default.Encode(AuthenticatorIssuer)}:{UrlEncoder.Default.Encode(account)}?secret={key}&issuer={UrlEncoder.Default.Encode(AuthenticatorIssuer)}&digits=6");

    private static ValidationProblem InvalidLink(AccountServices s, string? userId)
    {
        s.SecurityLog.SignInFailed(userId, s.Address, "password reset with an invalid, used or expired link");
        return ApiProblems.Invalid("token", "This reset link is not valid: it has been used, has expired, or was copied incompletely. Ask an administrator for a new one.");
    }

}

/// <summary>Checks a sign-in's second factor: an authenticator code, or else a recovery code (used up).</summary>
public static class TwoFactorCodes
{
    /// <summary>Spaces and dashes removed ("123 456", "abcde-12345" as typed or pasted).</summary>
    public static string Normalize(string? code)
        => string.Concat((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-'));

    public static async Task<bool> CheckAsync(UserManager<AppUser> users, AppUser user, string code, SecurityLog log)
    {
        if (code.Length == 6 && code.All(char.IsAsciiDigit)
            && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            return true;
        if (code.Length < 8) return false;
        // Identity stores recovery codes as "xxxxx-xxxxx": put the dash back.
        var upper = code.ToUpperInvariant();
        var recovery = upper.Length == 10 ? $"{upper[..5]}-{upper[5..]}" : upper;
        if (!(await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded) return false;
        log.TwoFactorChanged(user.Id.ToString(), user.Id.ToString(), "recovery code used to sign in");
        return true;
    }
}

/// <summary>What the account endpoints need.</summary>
public sealed record AccountServices(ClaimsPrincipal User, HttpContext Http, [FromServices] UserManager<AppUser> Users, [FromServices] IUserStore<AppUser> Store,
    [FromServices] TokenService Tokens,
    [FromServices] TokenRevocationCheck Revocation, [FromServices] SecuritySettings Settings, [FromServices] SecurityLog SecurityLog)
{
    public string? Address => Http.Connection.RemoteIpAddress?.ToString();
}
