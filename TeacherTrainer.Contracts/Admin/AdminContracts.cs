using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

public sealed record CreateUserRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), SafeText] string Password,
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
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, IReadOnlyList<string> Cohorts)
{
    /// <summary>Whether the account is locked at <paramref name="now"/>.</summary>
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <param name="Path">The web app's reset page with the token, to append to the web's address and pass on.</param>
public sealed record PasswordResetLink(Guid UserId, string Token, string Path, DateTimeOffset ExpiresAt);

/// <param name="RequireTwoFactorForStaff">Instructors and admins must use two-factor sign-in.</param>
public sealed record SecuritySettingsView(bool RequireTwoFactorForStaff);

/// <param name="RequireTwoFactorForStaff">Required: an empty body changes nothing.</param>
public sealed record SecuritySettingsRequest([property: Required] bool? RequireTwoFactorForStaff);

public sealed record UserPage(int Total, int Page, int PageSize, IReadOnlyList<UserView> Items);

/// <summary>The query string of <c>GET /api/admin/users</c>.</summary>
/// <param name="Q">Text in the email or display name.</param>
/// <param name="Role"><c>trainee</c>, <c>instructor</c> or <c>admin</c>.</param>
/// <param name="Locked">true: locked accounts only; false: active only; absent: both.</param>
/// <param name="Page">From 1.</param>
public sealed record UserQuery(
    [StringLength(100), SafeText] string? Q = null,
    [StringLength(20), SafeText] string? Role = null,
    bool? Locked = null,
    [Range(1, 100_000)] int? Page = null,
    [Range(1, 100)] int? PageSize = null);
