using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Admin;

/// <summary>
/// User administration (admins only): list and find users, create instructors and admins, change
/// roles, lock and unlock. An admin cannot demote or lock themselves (so the last admin cannot
/// lock everyone out). Role changes and locks revoke the user's tokens at once.
/// </summary>
public static class AdminApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapGet("/", ListUsersAsync).WithName("ListUsers")
            .WithSummary("Users, filtered by role, lock state and text in the email or name, a page at a time, with created, last sign-in and cohorts.");
        api.MapGet("/{userId:guid}", GetUserAsync).WithName("GetUser")
            .WithSummary("One user, with role, lock state and failed sign-in count.");
        api.MapPost("/", CreateUserAsync).WithName("CreateUser")
            .WithSummary("Creates an account with any role (instructors and admins are made this way).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{userId:guid}/role", ChangeRoleAsync).WithName("ChangeUserRole")
            .WithSummary("Changes a user's role (a reason is required and logged); their access tokens stop working at once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{userId:guid}/lock", LockUserAsync).WithName("LockUser")
            .WithSummary("Locks an account (until a time, or until unlocked; a reason is required and logged) and signs it out everywhere.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{userId:guid}/unlock", UnlockUserAsync).WithName("UnlockUser")
            .WithSummary("Unlocks an account and clears its failed sign-in count.");
        api.MapPost("/{userId:guid}/password-reset", IssuePasswordResetAsync).WithName("IssuePasswordReset")
            .WithSummary("Issues a single-use, expiring password reset link for a user who forgot theirs, for the admin to pass on.");

        var settings = app.MapGroup("/api/admin/settings").WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        settings.MapGet("/security", GetSecuritySettingsAsync).WithName("GetSecuritySettings")
            .WithSummary("Security settings: whether staff must use two-factor sign-in.");
        settings.MapPut("/security", PutSecuritySettingsAsync).WithName("PutSecuritySettings")
            .WithSummary("Requires (or stops requiring) two-factor sign-in for instructors and admins; staff without it are asked to set it up.");
        return app;
    }

    public static async Task<Ok<UserPage>> ListUsersAsync([AsParameters] AdminServices s,
        [StringLength(100), SafeText] string? q, [StringLength(20), SafeText] string? role, bool? locked,
        [Range(1, 100_000)] int? page, [Range(1, 100)] int? pageSize, CancellationToken ct)
    {
        var size = pageSize ?? 25;
        var number = page ?? 1;
        var users = s.Db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            users = users.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }
        if (!string.IsNullOrWhiteSpace(role))
        {
            users = users.Where(u => s.Db.UserRoles.Any(ur => ur.UserId == u.Id && s.Db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        if (locked is { } wantLocked)
        {
            var now = s.Time.GetUtcNow();
            users = wantLocked ? users.Where(u => u.LockoutEnd > now) : users.Where(u => u.LockoutEnd == null || u.LockoutEnd <= now);
        }
        var total = await users.CountAsync(ct);
        var items = await Project(s.Db, users.OrderBy(u => u.Email)).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new UserPage(total, number, size, items));
    }

    public static async Task<Results<Ok<UserView>, NotFound>> GetUserAsync(Guid userId, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await Project(s.Db, s.Db.Users.AsNoTracking().Where(u => u.Id == userId)).SingleOrDefaultAsync(ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        if (!Roles.All.Contains(request.Role)) return InvalidRole();
        var email = request.Email.Trim();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = request.DisplayName.Trim(), CreatedAt = s.Time.GetUtcNow(),
        };
        var created = await s.Users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
                return TypedResults.Problem(title: "Account exists", detail: "An account with this email already exists.", statusCode: StatusCodes.Status409Conflict);
            return TypedResults.ValidationProblem(IdentityErrors.ToDictionary(created), title: "The account could not be created");
        }
        await s.Users.AddToRoleAsync(user, request.Role);
        // A new account's role is a grant like any other: instructors and admins are made here.
        s.SecurityLog.RoleChanged(s.User.GetUserId().ToString(), user.Id.ToString(), "none", request.Role, "account created by an administrator");
        return TypedResults.Created($"/api/admin/users/{user.Id}", await Project(s.Db, s.Db.Users.Where(u => u.Id == user.Id)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<UserView>, NotFound, ValidationProblem, ProblemHttpResult>> ChangeRoleAsync(
        Guid userId, ChangeRoleRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        if (!Roles.All.Contains(request.Role)) return InvalidRole();
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return TypedResults.NotFound();
        if (user.Id == s.User.GetUserId() && request.Role != Roles.Admin) return SelfRefused("change your own role");
        var current = await s.Users.GetRolesAsync(user);
        if (current.Count != 1 || current[0] != request.Role)
        {
            await s.Users.RemoveFromRolesAsync(user, current);
            await s.Users.AddToRoleAsync(user, request.Role);
            await s.Tokens.InvalidateAccessTokensAsync(user);
            s.SecurityLog.RoleChanged(s.User.GetUserId().ToString(), user.Id.ToString(),
                current.Count == 0 ? "none" : string.Join(",", current), request.Role, request.Reason.Trim());
        }
        return TypedResults.Ok(await Project(s.Db, s.Db.Users.Where(u => u.Id == userId)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<UserView>, NotFound, ValidationProblem, ProblemHttpResult>> LockUserAsync(
        Guid userId, LockUserRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return TypedResults.NotFound();
        if (user.Id == s.User.GetUserId()) return SelfRefused("lock your own account");
        var now = s.Time.GetUtcNow();
        if (request.Until is { } until && until <= now)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["The lock must end in the future (or leave it out to lock until unlocked)."] });
        await s.Users.SetLockoutEnabledAsync(user, true);
        await s.Users.SetLockoutEndDateAsync(user, request.Until ?? DateTimeOffset.MaxValue);
        await s.Tokens.RevokeAllAsync(user, "locked", ct);
        s.SecurityLog.AccountLocked(s.User.GetUserId().ToString(), user.Id.ToString(), request.Until, request.Reason.Trim());
        return TypedResults.Ok(await Project(s.Db, s.Db.Users.Where(u => u.Id == userId)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<UserView>, NotFound>> UnlockUserAsync(Guid userId, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return TypedResults.NotFound();
        await s.Users.SetLockoutEndDateAsync(user, null);
        await s.Users.ResetAccessFailedCountAsync(user);
        s.SecurityLog.AccountUnlocked(s.User.GetUserId().ToString(), user.Id.ToString());
        return TypedResults.Ok(await Project(s.Db, s.Db.Users.Where(u => u.Id == userId)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<PasswordResetLink>, NotFound>> IssuePasswordResetAsync(Guid userId, [AsParameters] AdminServices s,
        [FromServices] SecurityLog securityLog, [FromServices] IOptions<DataProtectionTokenProviderOptions> resetOptions, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return TypedResults.NotFound();
        // Identity's reset token: protected data bound to the user's security stamp, so it stops
        // working once used (the reset changes the stamp) and when it expires.
        var token = await s.Users.GeneratePasswordResetTokenAsync(user);
        var expires = s.Time.GetUtcNow() + resetOptions.Value.TokenLifespan;
        securityLog.PasswordResetIssued(s.User.GetUserId().ToString(), user.Id.ToString(), expires);
        var path = $"/account/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}";
        return TypedResults.Ok(new PasswordResetLink(user.Id, token, path, expires));
    }

    public static async Task<Ok<SecuritySettingsView>> GetSecuritySettingsAsync([FromServices] SecuritySettings settings, CancellationToken ct)
        => TypedResults.Ok(new SecuritySettingsView(await settings.RequireTwoFactorForStaffAsync(ct)));

    public static async Task<Ok<SecuritySettingsView>> PutSecuritySettingsAsync(SecuritySettingsRequest request, ClaimsPrincipal user,
        [FromServices] SecuritySettings settings, [FromServices] SecurityLog securityLog, CancellationToken ct)
    {
        var required = request.RequireTwoFactorForStaff!.Value;
        await settings.SetRequireTwoFactorForStaffAsync(required, user.GetUserId(), ct);
        securityLog.TwoFactorChanged(user.GetUserId().ToString(), "staff", required ? "required for staff" : "no longer required for staff");
        return TypedResults.Ok(new SecuritySettingsView(await settings.RequireTwoFactorForStaffAsync(ct)));
    }

    private static IQueryable<UserView> Project(TeacherDbContext db, IQueryable<AppUser> users)
    {
        var now = DateTimeOffset.UtcNow;
        return users.Select(u => new UserView(u.Id, u.Email ?? "", u.DisplayName,
            db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).FirstOrDefault() ?? "",
            u.LockoutEnd > now ? u.LockoutEnd : null, u.AccessFailedCount, u.CreatedAt, u.LastSignInAt,
            // Cohorts taught or belonged to: what an admin needs to know before changing a role or locking.
            db.Cohorts.Where(c => c.InstructorId == u.Id || db.CohortMembers.Any(m => m.CohortId == c.Id && m.UserId == u.Id))
                .OrderBy(c => c.Name).Select(c => c.Name).Take(20).ToList()));
    }

    private static ValidationProblem InvalidRole()
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"The role must be one of: {string.Join(", ", Roles.All)}."] });

    private static ProblemHttpResult SelfRefused(string what)
        => TypedResults.Problem(title: "Not on yourself", detail: $"An administrator cannot {what}; ask another administrator.", statusCode: StatusCodes.Status409Conflict);
}

/// <summary>What every handler here needs.</summary>
/// <remarks>Services are marked as such, so validation does not walk them (it would walk the DbContext's sets).</remarks>
public sealed record AdminServices([FromServices] TeacherDbContext Db, [FromServices] UserManager<AppUser> Users, [FromServices] TokenService Tokens, ClaimsPrincipal User, [FromServices] TimeProvider Time, [FromServices] SecurityLog SecurityLog);

public sealed record CreateUserRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordPolicy.MaxLength, MinimumLength = PasswordPolicy.MinLength), SafeText] string Password,
    [property: Required, StringLength(100, MinimumLength = 1), SafeText] string DisplayName,
    [property: Required, StringLength(20), SafeText] string Role);

/// <param name="Role"><c>trainee</c>, <c>instructor</c> or <c>admin</c>.</param>
/// <param name="Reason">Why (required): it goes into the security log, so a later reader knows who decided what and why.</param>
public sealed record ChangeRoleRequest(
    [property: Required, StringLength(20), SafeText] string Role,
    [property: Required(AllowEmptyStrings = false), StringLength(500, MinimumLength = 3), SafeText] string Reason);

/// <param name="Until">When the lock ends; leave out to lock until an admin unlocks.</param>
/// <param name="Reason">Why (required): it goes into the security log.</param>
public sealed record LockUserRequest(
    [property: Required(AllowEmptyStrings = false), StringLength(500, MinimumLength = 3), SafeText] string Reason,
    DateTimeOffset? Until = null);

/// <param name="LockedUntil">Set while the account is locked (far in the future: until an admin unlocks it).</param>
/// <param name="LastSignInAt">The last successful sign-in; null when never signed in.</param>
/// <param name="Cohorts">Names of the cohorts the user teaches or belongs to (at most 20).</param>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset? LockedUntil, int FailedSignIns,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, IReadOnlyList<string> Cohorts);

/// <param name="Path">The web app's reset page with the token, to append to the web's address and pass on.</param>
public sealed record PasswordResetLink(Guid UserId, string Token, string Path, DateTimeOffset ExpiresAt);

/// <param name="RequireTwoFactorForStaff">Instructors and admins must use two-factor sign-in.</param>
public sealed record SecuritySettingsView(bool RequireTwoFactorForStaff);

/// <param name="RequireTwoFactorForStaff">Required: an empty body changes nothing.</param>
public sealed record SecuritySettingsRequest([property: Required] bool? RequireTwoFactorForStaff);

public sealed record UserPage(int Total, int Page, int PageSize, IReadOnlyList<UserView> Items);
