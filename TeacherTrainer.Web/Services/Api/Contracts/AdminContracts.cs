namespace TeacherTrainer.Web.Services.Api;

public sealed record CreateUserRequest(string Email, string Password, string DisplayName, string Role);

public sealed record ChangeRoleRequest(string Role, string Reason);

public sealed record LockUserRequest(string Reason, DateTimeOffset? Until = null);

/// <param name="LockedUntil">Set while the account is locked (far future: until unlocked).</param>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset? LockedUntil, int FailedSignIns, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt = null, IReadOnlyList<string>? Cohorts = null)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

public sealed record UserPage(int Total, int Page, int PageSize, IReadOnlyList<UserView> Items);

/// <param name="Locked">true: locked accounts only; false: active only; null: both.</param>
public sealed record UserQuery(string? Text = null, string? Role = null, int Page = 1, int PageSize = 25, bool? Locked = null);

/// <param name="Path">The web's reset page with the token (append to this site's address).</param>
public sealed record PasswordResetLink(Guid UserId, string Token, string Path, DateTimeOffset ExpiresAt);

public sealed record SecuritySettingsView(bool RequireTwoFactorForStaff);
