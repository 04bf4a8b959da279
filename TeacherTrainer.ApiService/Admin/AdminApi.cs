using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
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
            .WithSummary("Creates an account with any role (instructors and admins are made this way).");
        api.MapPut("/{userId:guid}/role", ChangeRoleAsync).WithName("ChangeUserRole")
            .WithSummary("Changes a user's role (a reason is required and logged); their access tokens stop working at once.");
        api.MapPost("/{userId:guid}/lock", LockUserAsync).WithName("LockUser")
            .WithSummary("Locks an account (until a time, or until unlocked; a reason is required and logged) and signs it out everywhere.");
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

    /// <remarks>
    /// The query string (<see cref="UserQuery"/>) stays in parameters here: a value that does not bind is refused with a
    /// detail naming the parameter, and clients have always seen the query key they sent ("page"), which a record's
    /// property would spell "Page".
    /// </remarks>
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

    public static async Task<Results<Ok<UserView>, NotFoundProblem>> GetUserAsync(Guid userId, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await Project(s.Db, s.Db.Users.AsNoTracking().Where(u => u.Id == userId)).SingleOrDefaultAsync(ct);
        return user is null ? AdminProblems.UnknownUser() : TypedResults.Ok(user);
    }

    public static async Task<Results<Created<UserView>, ValidationProblem, ConflictProblem>> CreateUserAsync(
        CreateUserRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        if (!Roles.All.Contains(request.Role)) return AdminProblems.InvalidRole();
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
                return IdentityProblems.AccountExists("An account with this email already exists.");
            return TypedResults.ValidationProblem(IdentityErrors.ToDictionary(created), title: "The account could not be created");
        }
        await s.Users.AddToRoleAsync(user, request.Role);
        // A new account's role is a grant like any other: instructors and admins are made here.
        s.SecurityLog.RoleChanged(s.User.GetUserId().ToString(), user.Id.ToString(), "none", request.Role, "account created by an administrator");
        return TypedResults.Created($"/api/admin/users/{user.Id}", await Project(s.Db, s.Db.Users.Where(u => u.Id == user.Id)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<UserView>, NotFoundProblem, ValidationProblem, ConflictProblem>> ChangeRoleAsync(
        Guid userId, ChangeRoleRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        if (!Roles.All.Contains(request.Role)) return AdminProblems.InvalidRole();
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return AdminProblems.UnknownUser();
        if (user.Id == s.User.GetUserId() && request.Role != Roles.Admin) return AdminProblems.SelfRefused("change your own role");
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

    public static async Task<Results<Ok<UserView>, NotFoundProblem, ValidationProblem, ConflictProblem>> LockUserAsync(
        Guid userId, LockUserRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return AdminProblems.UnknownUser();
        if (user.Id == s.User.GetUserId()) return AdminProblems.SelfRefused("lock your own account");
        var now = s.Time.GetUtcNow();
        if (request.Until is { } until && until <= now)
            return ApiProblems.Invalid("until", "The lock must end in the future (or leave it out to lock until unlocked).");
        await s.Users.SetLockoutEnabledAsync(user, true);
        await s.Users.SetLockoutEndDateAsync(user, request.Until ?? DateTimeOffset.MaxValue);
        await s.Tokens.RevokeAllAsync(user, "locked", ct);
        s.SecurityLog.AccountLocked(s.User.GetUserId().ToString(), user.Id.ToString(), request.Until, request.Reason.Trim());
        return TypedResults.Ok(await Project(s.Db, s.Db.Users.Where(u => u.Id == userId)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<UserView>, NotFoundProblem>> UnlockUserAsync(Guid userId, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return AdminProblems.UnknownUser();
        await s.Users.SetLockoutEndDateAsync(user, null);
        await s.Users.ResetAccessFailedCountAsync(user);
        s.SecurityLog.AccountUnlocked(s.User.GetUserId().ToString(), user.Id.ToString());
        return TypedResults.Ok(await Project(s.Db, s.Db.Users.Where(u => u.Id == userId)).SingleAsync(ct));
    }

    public static async Task<Results<Ok<PasswordResetLink>, NotFoundProblem>> IssuePasswordResetAsync(Guid userId, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var user = await s.Users.FindByIdAsync(userId.ToString());
        if (user is null) return AdminProblems.UnknownUser();
        // Identity's reset token: protected data bound to the user's security stamp, so it stops
        // working once used (the reset changes the stamp) and when it expires.
        var token = await s.Users.GeneratePasswordResetTokenAsync(user);
        var expires = s.Time.GetUtcNow() + s.ResetOptions.Value.TokenLifespan;
        s.SecurityLog.PasswordResetIssued(s.User.GetUserId().ToString(), user.Id.ToString(), expires);
        var path = $"/account/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}";
        return TypedResults.Ok(new PasswordResetLink(user.Id, token, path, expires));
    }

    public static async Task<Ok<SecuritySettingsView>> GetSecuritySettingsAsync([AsParameters] AdminServices s, CancellationToken ct)
        => TypedResults.Ok(new SecuritySettingsView(await s.Settings.RequireTwoFactorForStaffAsync(ct)));

    public static async Task<Ok<SecuritySettingsView>> PutSecuritySettingsAsync(SecuritySettingsRequest request, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var required = request.RequireTwoFactorForStaff!.Value;
        await s.Settings.SetRequireTwoFactorForStaffAsync(required, s.User.GetUserId(), ct);
        s.SecurityLog.TwoFactorChanged(s.User.GetUserId().ToString(), "staff", required ? "required for staff" : "no longer required for staff");
        return TypedResults.Ok(new SecuritySettingsView(await s.Settings.RequireTwoFactorForStaffAsync(ct)));
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

}

/// <summary>What every handler here needs.</summary>
/// <remarks>Services are marked as such, so validation does not walk them (it would walk the DbContext's sets).</remarks>
public sealed record AdminServices([FromServices] TeacherDbContext Db, [FromServices] UserManager<AppUser> Users, [FromServices] TokenService Tokens, ClaimsPrincipal User, [FromServices] TimeProvider Time, [FromServices] SecurityLog SecurityLog,
    [FromServices] SecuritySettings Settings, [FromServices] IOptions<DataProtectionTokenProviderOptions> ResetOptions);

/// <summary>The admin problems, each worded once.</summary>
public static class AdminProblems
{
    /// <summary>The title a bare 404 had.</summary>
    public static NotFoundProblem UnknownUser() => ApiProblems.NotFound("Not Found", "There is no user with this id.");

    public static ValidationProblem InvalidRole() => ApiProblems.Invalid("role", $"The role must be one of: {string.Join(", ", Roles.All)}.");

    public static ConflictProblem SelfRefused(string what)
        => ApiProblems.Conflict("Not on yourself", $"An administrator cannot {what}; ask another administrator.");
}
