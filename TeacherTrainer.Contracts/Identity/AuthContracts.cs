using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

/// <param name="AccessToken">A JWT to send as <c>Authorization: Bearer ...</c>.</param>
/// <param name="ExpiresIn">Seconds until the access token expires.</param>
/// <param name="RefreshToken">Exchange at <c>POST /api/auth/refresh</c> for a new pair; single use.</param>
public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType = "Bearer");

/// <param name="Code">The authenticator's 6-digit code, or a recovery code, for an account with two-factor sign-in on.</param>
public sealed record TokenRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordRules.MaxLength), SafeText] string Password,
    [property: StringLength(32), SafeText] string? Code = null);

public sealed record RefreshRequest([property: Required, StringLength(200), SafeText] string RefreshToken);

public sealed record SignUpRequest(
    [property: Required, EmailAddress, StringLength(254), SafeText] string Email,
    [property: Required, StringLength(PasswordRules.MaxLength, MinimumLength = PasswordRules.MinLength), SafeText] string Password,
    [property: Required, StringLength(100, MinimumLength = 1), SafeText] string DisplayName,
    [property: StringLength(32), SafeText] string? InviteCode = null);

/// <param name="MustEnrolTwoFactor">Staff without two-factor sign-in while an admin requires it: the web asks them to set it up.</param>
public sealed record MeResponse(Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<MeCohort> Cohorts,
    bool TwoFactorEnabled = false, bool MustEnrolTwoFactor = false);

/// <param name="As">Whether the user teaches the cohort or belongs to it.</param>
public sealed record MeCohort(Guid Id, string Name, CohortRelation As);

/// <summary>How a user stands to a cohort.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CohortRelation>))]
public enum CohortRelation
{
    [JsonStringEnumMemberName("instructor")] Instructor,
    [JsonStringEnumMemberName("member")] Member,
}

/// <summary>Problem titles a client acts on.</summary>
public static class AuthTitles
{
    /// <summary>The title of sign-in's 401 when the account needs a two-factor code (the web then shows a code field).</summary>
    public const string TwoFactorRequired = "Two-factor code required";
}
