using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

public sealed record ChangePasswordRequest(
    [property: Required, StringLength(PasswordRules.MaxLength), SafeText] string CurrentPassword,
    [property: Required, StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), SafeText] string NewPassword);

/// <param name="Token">The token from the reset link, as given.</param>
public sealed record ResetPasswordRequest(
    Guid UserId,
    [property: Required, StringLength(2000), SafeText] string Token,
    [property: Required, StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), SafeText] string NewPassword);

/// <param name="Code">The 6 digits the authenticator app shows now (spaces allowed).</param>
public sealed record TwoFactorCodeRequest(
    [property: Required, StringLength(9), RegularExpression(@"^[0-9 ]{6,9}$", ErrorMessage = "Enter the 6-digit code from the authenticator app."), SafeText] string Code);

public sealed record DisableTwoFactorRequest([property: Required, StringLength(PasswordRules.MaxLength), SafeText] string Password);

/// <param name="Required">An administrator requires two-factor sign-in for staff.</param>
public sealed record TwoFactorStatus(bool Enabled, bool Required, int RecoveryCodesLeft);

/// <param name="SharedKey">The key to type into an authenticator app (base32, in groups of four).</param>
/// <param name="AuthenticatorUri">The same as an otpauth:// URI (what a QR code would hold).</param>
public sealed record AuthenticatorSetup(string SharedKey, string AuthenticatorUri);

/// <param name="Codes">Single-use codes for signing in without the app; shown once.</param>
public sealed record RecoveryCodes(IReadOnlyList<string> Codes);
