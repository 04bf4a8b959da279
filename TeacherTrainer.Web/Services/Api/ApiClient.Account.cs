namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    /// <summary>Changes the password; the API signs out every other session and returns new tokens for this one.</summary>
    public Task<TokenResponse> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default)
        => SendJsonAsync<TokenResponse>(HttpMethod.Post, "/api/auth/password", new ChangePasswordRequest(currentPassword, newPassword), cancellationToken);

    public Task<TwoFactorStatus> GetTwoFactorAsync(CancellationToken cancellationToken = default)
        => GetAsync<TwoFactorStatus>("/api/auth/two-factor", cancellationToken);

    public Task<AuthenticatorSetup> SetUpTwoFactorAsync(CancellationToken cancellationToken = default)
        => SendJsonAsync<AuthenticatorSetup>(HttpMethod.Post, "/api/auth/two-factor/setup", null, cancellationToken);

    public Task<RecoveryCodes> EnableTwoFactorAsync(string code, CancellationToken cancellationToken = default)
        => SendJsonAsync<RecoveryCodes>(HttpMethod.Post, "/api/auth/two-factor/enable", new TwoFactorCodeRequest(code), cancellationToken);

    public Task DisableTwoFactorAsync(string password, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Post, "/api/auth/two-factor/disable", new DisableTwoFactorRequest(password), cancellationToken);

    public Task<RecoveryCodes> NewRecoveryCodesAsync(string code, CancellationToken cancellationToken = default)
        => SendJsonAsync<RecoveryCodes>(HttpMethod.Post, "/api/auth/two-factor/recovery-codes", new TwoFactorCodeRequest(code), cancellationToken);

    public Task<PasswordResetLink> IssuePasswordResetAsync(Guid userId, CancellationToken cancellationToken = default)
        => SendJsonAsync<PasswordResetLink>(HttpMethod.Post, $"/api/admin/users/{userId}/password-reset", null, cancellationToken);

    public Task<SecuritySettingsView> GetSecuritySettingsAsync(CancellationToken cancellationToken = default)
        => GetAsync<SecuritySettingsView>("/api/admin/settings/security", cancellationToken);

    public Task<SecuritySettingsView> PutSecuritySettingsAsync(bool requireTwoFactorForStaff, CancellationToken cancellationToken = default)
        => SendJsonAsync<SecuritySettingsView>(HttpMethod.Put, "/api/admin/settings/security", new SecuritySettingsView(requireTwoFactorForStaff), cancellationToken);
}
