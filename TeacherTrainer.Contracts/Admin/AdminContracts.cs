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

/// <summary>The query string of <c>GET /api/admin/users</c> (the API binds it as parameters: see <c>AdminApi.ListUsersAsync</c>).</summary>
/// <remarks>
/// Properties, not a positional record: OpenAPI fails on validation attributes on the constructor parameters of an
/// <c>[AsParameters]</c> type (dotnet/aspnetcore#65348), so query records carry them on init properties.
/// </remarks>
public sealed record UserQuery
{
    /// <summary>Text in the email or display name.</summary>
    [StringLength(100), SafeText] public string? Q { get; init; }

    /// <summary><c>trainee</c>, <c>instructor</c> or <c>admin</c>.</summary>
    [StringLength(20), SafeText] public string? Role { get; init; }

    /// <summary>true: locked accounts only; false: active only; absent: both.</summary>
    public bool? Locked { get; init; }

    /// <summary>From 1.</summary>
    [Range(1, 100_000)] public int? Page { get; init; }

    [Range(1, 100)] public int? PageSize { get; init; }
}
