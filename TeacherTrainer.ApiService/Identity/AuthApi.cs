using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
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
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshToken")
            .WithSummary("Exchanges a refresh token (single use) for a new access and refresh token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status423Locked)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn);

        api.MapPost("/signup", SignUpAsync)
            .WithName("SignUp")
            .WithSummary("Creates a trainee account (optionally joining a cohort by its invitation code) and signs it in.")
            .ProducesProblem(StatusCodes.Status409Conflict)
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

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignInAsync(
        TokenRequest request, [AsParameters] SignInServices s, CancellationToken cancellationToken)
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
            return TypedResults.Problem(title: "Too many sign-in attempts",
                detail: $"Too many sign-in attempts for this account; try again in {seconds} s. The account is not locked and its sessions are untouched.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (user is null)
        {
            // As slow as a real check, so timing does not tell which emails have accounts.
            s.Users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, request.Password);
            s.SecurityLog.SignInFailed(null, address, "unknown email");
            return InvalidCredentials();
        }
        if (await s.Users.IsLockedOutAsync(user))
        {
            s.SecurityLog.SignInFailed(user.Id.ToString(), address, "locked by an administrator");
            return Locked();
        }
        if (!await s.Users.CheckPasswordAsync(user, request.Password))
        {
            // No lock-out and no revocation: a stranger who knows the email can slow guesses down, never lock the owner out.
            s.SecurityLog.SignInFailed(user.Id.ToString(), address, "wrong password");
            return InvalidCredentials();
        }
        if (await s.Users.GetTwoFactorEnabledAsync(user))
        {
            var code = TwoFactorCodes.Normalize(request.Code);
            if (code.Length == 0) return TwoFactorNeeded("Enter the 6-digit code from your authenticator app (or a recovery code).");
            if (!await TwoFactorCodes.CheckAsync(s.Users, user, code, s.SecurityLog))
            {
                s.SecurityLog.SignInFailed(user.Id.ToString(), address, "wrong two-factor code");
                return TwoFactorNeeded("That code is not right: codes change every 30 seconds, so enter the one shown now (or a recovery code).");
            }
        }
        await s.Throttle.ClearAsync(email, address, cancellationToken);
        // Recorded for admins (Admin → Users shows it), so dormant accounts can be found.
        user.LastSignInAt = DateTimeOffset.UtcNow;
        await s.Users.UpdateAsync(user);
        s.Logger.LogInformation("User {UserId} signed in", user.Id);
        return TypedResults.Ok(await s.Tokens.IssueAsync(user, cancellationToken: cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, TokenService tokens, HttpContext http, CancellationToken cancellationToken)
    {
        var (issued, failure) = await tokens.RefreshAsync(request.RefreshToken, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return failure switch
        {
            RefreshFailure.None => TypedResults.Ok(issued!),
            RefreshFailure.Locked => Locked(),
            RefreshFailure.Expired => Unauthorized("The refresh token has expired; sign in again."),
            RefreshFailure.Reused => Unauthorized("This refresh token was already used, so every token from that sign-in has been revoked; sign in again."),
            _ => Unauthorized("The refresh token is not valid (unknown, revoked or signed out); sign in again."),
        };
    }

    public static async Task<Results<Created<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, UserManager<AppUser> users, TokenService tokens, TeacherDbContext db, TimeProvider time,
        ILogger<TokenService> logger, CancellationToken cancellationToken)
    {
        Cohort? cohort = null;
        if (!string.IsNullOrWhiteSpace(request.InviteCode))
        {
            var code = InviteCodes.Normalize(request.InviteCode);
            cohort = await db.Cohorts.SingleOrDefaultAsync(c => c.InviteCode == code, cancellationToken);
            if (cohort is null) return Invalid("inviteCode", "No cohort has this invitation code; check it with your instructor.");
        }
        var email = request.Email.Trim();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = request.DisplayName.Trim(), CreatedAt = time.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
                return TypedResults.Problem(title: "Account exists", detail: "An account with this email already exists; sign in instead.", statusCode: StatusCodes.Status409Conflict);
            return TypedResults.ValidationProblem(IdentityErrors.ToDictionary(created), title: "The account could not be created");
        }
        await users.AddToRoleAsync(user, Roles.Trainee);
        if (cohort is not null)
        {
            db.CohortMembers.Add(new CohortMember { CohortId = cohort.Id, UserId = user.Id, JoinedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }
        logger.LogInformation("User {UserId} signed up{Cohort}", user.Id, cohort is null ? "" : $" and joined cohort {cohort.Id}");
        return TypedResults.Created("/api/auth/me", await tokens.IssueAsync(user, cancellationToken: cancellationToken));
    }

    public static async Task<NoContent> SignOutAsync(ClaimsPrincipal principal, UserManager<AppUser> users, TokenService tokens,
        ILogger<TokenService> logger, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(principal.GetUserId().ToString());
        if (user is not null)
        {
            await tokens.RevokeAllAsync(user, "sign-out", cancellationToken);
            logger.LogInformation("User {UserId} signed out", user.Id);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, NotFound>> GetMeAsync(ClaimsPrincipal principal, TeacherDbContext db, SecuritySettings settings,
        CancellationToken cancellationToken)
    {
        var id = principal.GetUserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.TwoFactorEnabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null) return TypedResults.NotFound();
        var role = await db.UserRoles.Where(ur => ur.UserId == id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .FirstOrDefaultAsync(cancellationToken) ?? Roles.Trainee;
        var cohorts = await db.Cohorts.AsNoTracking()
            .Where(c => c.InstructorId == id || c.Members.Any(m => m.UserId == id))
            .OrderBy(c => c.Name)
            .Select(c => new MeCohort(c.Id, c.Name, c.InstructorId == id ? "instructor" : "member"))
            .ToListAsync(cancellationToken);
        var staff = role is Roles.Instructor or Roles.Admin;
        var mustEnrol = staff && !user.TwoFactorEnabled && await settings.RequireTwoFactorForStaffAsync(cancellationToken);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email ?? "", user.DisplayName, role, cohorts, user.TwoFactorEnabled, mustEnrol));
    }

    private static ProblemHttpResult InvalidCredentials()
        => Unauthorized("The email or password is incorrect. After repeated failures sign-in slows down for a while.");

    /// <summary>The title a client looks for to show a code field (the <c>twoFactorRequired</c> extension says the same).</summary>
    public const string TwoFactorTitle = "Two-factor code required";

    private static ProblemHttpResult TwoFactorNeeded(string detail)
        => TypedResults.Problem(title: TwoFactorTitle, detail: detail, statusCode: StatusCodes.Status401Unauthorized,
            extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true });

    private static ProblemHttpResult Unauthorized(string detail)
        => TypedResults.Problem(title: "Sign-in failed", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    private static ProblemHttpResult Locked()
        => TypedResults.Problem(title: "Account locked",
            detail: "This account has been locked by an administrator; ask an administrator to unlock it.",
            statusCode: StatusCodes.Status423Locked);

    private static ValidationProblem Invalid(string field, string reason)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<AppUser>(
        Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = IdentityServiceExtensions.PasswordHashIterations }))
        .HashPassword(new AppUser(), Guid.NewGuid().ToString()));
}

/// <param name="Code">The authenticator's 6-digit code, or a recovery code, for an account with two-factor sign-in on.</param>
public sealed record TokenRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordPolicy.MaxLength), SafeText] string Password,
    [property: StringLength(32), SafeText] string? Code = null);

/// <summary>What sign-in needs.</summary>
public sealed record SignInServices(HttpContext Http, [FromServices] UserManager<AppUser> Users, [FromServices] TokenService Tokens,
    [FromServices] SignInThrottle Throttle, [FromServices] SecurityLog SecurityLog, [FromServices] ILogger<TokenService> Logger);

public sealed record RefreshRequest([property: Required, StringLength(200), SafeText] string RefreshToken);

public sealed record SignUpRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordPolicy.MaxLength, MinimumLength = PasswordPolicy.MinLength), SafeText] string Password,
    [property: Required, StringLength(100, MinimumLength = 1), SafeText] string DisplayName,
    [property: StringLength(32), SafeText] string? InviteCode = null);

/// <param name="MustEnrolTwoFactor">Staff without two-factor sign-in while an admin requires it: the web asks them to set it up.</param>
public sealed record MeResponse(Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<MeCohort> Cohorts,
    bool TwoFactorEnabled = false, bool MustEnrolTwoFactor = false);

/// <param name="As"><c>instructor</c> or <c>member</c>.</param>
public sealed record MeCohort(Guid Id, string Name, string As);

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
