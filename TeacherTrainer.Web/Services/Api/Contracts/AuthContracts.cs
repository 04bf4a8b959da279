namespace TeacherTrainer.Web.Services.Api;

// Shapes of the ApiService's JSON, as this app reads and sends them (see the API's /scalar reference).

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType = "Bearer");

public sealed record MeResponse(Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<MeCohort> Cohorts);

/// <param name="As"><c>instructor</c> or <c>member</c>.</param>
public sealed record MeCohort(Guid Id, string Name, string As);

public sealed record SignInRequest(string Email, string Password);

public sealed record SignUpRequest(string Email, string Password, string DisplayName, string? InviteCode);

public sealed record RefreshRequest(string RefreshToken);

/// <param name="Code">An authenticator code or a recovery code, for an account with two-factor sign-in on.</param>
public sealed record SignInWithCodeRequest(string Email, string Password, string? Code);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

public sealed record ResetPasswordRequest(Guid UserId, string Token, string NewPassword);

public sealed record TwoFactorStatus(bool Enabled, bool Required, int RecoveryCodesLeft);

/// <param name="SharedKey">The key to type into an authenticator app.</param>
/// <param name="AuthenticatorUri">The otpauth:// URI an app can also take.</param>
public sealed record AuthenticatorSetup(string SharedKey, string AuthenticatorUri);

public sealed record TwoFactorCodeRequest(string Code);

public sealed record DisableTwoFactorRequest(string Password);

public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

/// <summary>What <c>GET /api/auth/me</c> says about two-factor sign-in.</summary>
public sealed record MeTwoFactor(bool TwoFactorEnabled, bool MustEnrolTwoFactor);
