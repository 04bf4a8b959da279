using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>Sign-up, sign-in (tokens), refresh, sign-out, and who am I.</summary>
public static class AuthApi
{
    /// <summary>Auth request bodies are small: a larger one is refused before it is read.</summary>
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapPost("/token", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Signs in with email and password (and a two-factor code where it is on); returns an access token (JWT) and a refresh token.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshToken")
            .WithSummary("Exchanges a refresh token (single use) for a new access and refresh token.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/signup", SignUpAsync)
            .WithName("SignUp")
            .WithSummary("Creates a trainee account (optionally joining a cohort by its invitation code) and signs it in.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/signout", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Signs out everywhere: every refresh token is revoked and access tokens already issued stop working.")
            .RequireAuthorization();

        api.MapGet("/me", GetMeAsync)
            .WithName("GetMe")
            .WithSummary("The signed-in user: id, email, name, role and cohorts.")
            .RequireAuthorization();
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, UnauthorizedProblem, LockedProblem, TooManyRequestsProblem>> SignInAsync(
        TokenRequest request, [AsParameters] AuthServices s, CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        var address = s.Http.Connection.RemoteIpAddress?.ToString();
        var user = await s.Users.FindByEmailAsync(email);
        // Counted before the password is checked, atomically: parallel guesses cannot all slip under the limit.
        if (await s.Throttle.TryReserveAsync(email, address, cancellationToken) is { } refusal)
        {
            s.SecurityLog.SignInThrottled(user?.Id.ToString(), address, refusal.Reason);
            var seconds = Math.Max(1, (int)Math.Ceiling(refusal.RetryAfter.TotalSeconds));
            s.Http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return IdentityProblems.Throttled(seconds);
        }
        if (user is null)
        {
            // As slow as a real check, so timing does not tell which emails have accounts.
            s.Users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, request.Password);
            s.SecurityLog.SignInFailed(null, address, "unknown email");
            return IdentityProblems.InvalidCredentials();
        }
        if (await s.Users.IsLockedOutAsync(user))
        {
            s.SecurityLog.SignInFailed(user.Id.ToString(), address, "locked by an administrator");
            return IdentityProblems.Locked();
        }
        if (!await s.Users.CheckPasswordAsync(user, request.Password))
        {
            // No lock-out and no revocation: a stranger who knows the email can slow guesses down, never lock the owner out.
            s.SecurityLog.SignInFailed(user.Id.ToString(), address, "wrong password");
            return IdentityProblems.InvalidCredentials();
        }
        if (await s.Users.GetTwoFactorEnabledAsync(user))
        {
            var code = TwoFactorCodes.Normalize(request.Code);
            if (code.Length == 0) return IdentityProblems.TwoFactorNeeded("Enter the 6-digit code from your authenticator app (or a recovery code).");
            if (!await TwoFactorCodes.CheckAsync(s.Users, user, code, s.SecurityLog))
            {
                s.SecurityLog.SignInFailed(user.Id.ToString(), address, "wrong two-factor code");
                return IdentityProblems.TwoFactorNeeded("That code is not right: codes change every 30 seconds, so enter the one shown now (or a recovery code).");
            }
        }
        await s.Throttle.ClearAsync(email, address, cancellationToken);
        // Recorded for admins (Admin → Users shows it), so dormant accounts can be found.
        user.LastSignInAt = DateTimeOffset.UtcNow;
        await s.Users.UpdateAsync(user);
        s.Logger.LogInformation("User {UserId} signed in", user.Id);
        return TypedResults.Ok(await s.Tokens.IssueAsync(user, cancellationToken: cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, UnauthorizedProblem, LockedProblem>> RefreshAsync(
        RefreshRequest request, [AsParameters] AuthServices s, CancellationToken cancellationToken)
    {
        var (issued, failure) = await s.Tokens.RefreshAsync(request.RefreshToken, s.Http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return failure switch
        {
            RefreshFailure.None => TypedResults.Ok(issued!),
            RefreshFailure.Locked => IdentityProblems.Locked(),
            RefreshFailure.Expired => IdentityProblems.SignInFailed("The refresh token has expired; sign in again."),
            RefreshFailure.Reused => IdentityProblems.SignInFailed("This refresh token was already used, so every token from that sign-in has been revoked; sign in again."),
            _ => IdentityProblems.SignInFailed("The refresh token is not valid (unknown, revoked or signed out); sign in again."),
        };
    }

    public static async Task<Results<Created<TokenResponse>, ValidationProblem, ConflictProblem>> SignUpAsync(
        SignUpRequest request, [AsParameters] AuthServices s, CancellationToken cancellationToken)
    {
        Guid? cohort = null;
        if (!string.IsNullOrWhiteSpace(request.InviteCode))
        {
            cohort = await s.Cohorts.FindByInviteCodeAsync(request.InviteCode, cancellationToken);
            if (cohort is null) return ApiProblems.Invalid("inviteCode", "No cohort has this invitation code; check it with your instructor.");
        }
        var email = request.Email.Trim();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = request.DisplayName.Trim(), CreatedAt = s.Time.GetUtcNow(),
        };
        var created = await s.Users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
                return IdentityProblems.AccountExists("An account with this email already exists; sign in instead.");
            return TypedResults.ValidationProblem(IdentityErrors.ToDictionary(created), title: "The account could not be created");
        }
        await s.Users.AddToRoleAsync(user, Roles.Trainee);
        if (cohort is { } cohortId) await s.Cohorts.JoinAsync(cohortId, user.Id, cancellationToken);
        s.Logger.LogInformation("User {UserId} signed up{Cohort}", user.Id, cohort is null ? "" : $" and joined cohort {cohort}");
        return TypedResults.Created("/api/auth/me", await s.Tokens.IssueAsync(user, cancellationToken: cancellationToken));
    }

    public static async Task<NoContent> SignOutAsync([AsParameters] AuthServices s, CancellationToken cancellationToken)
    {
        var user = await s.Users.FindByIdAsync(s.User.GetUserId().ToString());
        if (user is not null)
        {
            await s.Tokens.RevokeAllAsync(user, "sign-out", cancellationToken);
            s.Logger.LogInformation("User {UserId} signed out", user.Id);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, NotFoundProblem>> GetMeAsync([AsParameters] AuthServices s, CancellationToken cancellationToken)
    {
        var id = s.User.GetUserId();
        var user = await s.Db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.TwoFactorEnabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null) return IdentityProblems.UnknownUser();
        var role = await s.Db.UserRoles.Where(ur => ur.UserId == id)
            .Join(s.Db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .FirstOrDefaultAsync(cancellationToken) ?? Roles.Trainee;
        var cohorts = await s.Cohorts.ListAsync(id, cancellationToken);
        var staff = role is Roles.Instructor or Roles.Admin;
        var mustEnrol = staff && !user.TwoFactorEnabled && await s.Settings.RequireTwoFactorForStaffAsync(cancellationToken);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email ?? "", user.DisplayName, role, cohorts, user.TwoFactorEnabled, mustEnrol));
    }

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<AppUser>(
        Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = IdentityServiceExtensions.PasswordHashIterations }))
        .HashPassword(new AppUser(), Guid.NewGuid().ToString()));
}

/// <summary>What every sign-in handler needs.</summary>
/// <remarks>Services are marked as such, so validation does not walk them (it would walk the DbContext's sets).</remarks>
public sealed record AuthServices(HttpContext Http, ClaimsPrincipal User, [FromServices] UserManager<AppUser> Users, [FromServices] TokenService Tokens,
    [FromServices] SignInThrottle Throttle, [FromServices] SecurityLog SecurityLog, [FromServices] ILogger<TokenService> Logger,
    [FromServices] TeacherDbContext Db, [FromServices] TimeProvider Time, [FromServices] SecuritySettings Settings,
    [FromServices] IUserCohorts Cohorts);

/// <summary>Identity's errors as validation problem fields.</summary>
public static class IdentityErrors
{
    public static Dictionary<string, string[]> ToDictionary(IdentityResult result)
        => result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : e.Code.Contains("Role", StringComparison.Ordinal) ? "role" : "")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
