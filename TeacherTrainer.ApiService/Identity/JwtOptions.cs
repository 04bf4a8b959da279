using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>Token settings (configuration section <c>Jwt</c>). The signing key is a secret: an Aspire parameter, never in the repository.</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8 (the AppHost generates 64 characters).</summary>
    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "teachertrainer";
    public string Audience { get; set; } = "teachertrainer-api";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    /// <summary>
    /// How long after a refresh token is exchanged it may be exchanged again for a sibling (two tabs
    /// or replicas renewing one sign-in together). After it, reuse revokes the sign-in.
    /// </summary>
    public TimeSpan RefreshGracePeriod { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Tolerance for clocks that disagree when checking expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long a user's security stamp is remembered between database reads. A sign-out, role
    /// change or lock on this instance takes effect at once; on other instances within this time.
    /// </summary>
    public TimeSpan StampCacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    public SymmetricSecurityKey CreateSigningKey() => new(Encoding.UTF8.GetBytes(SigningKey)) { KeyId = "tt-hs256" };

    internal static IEnumerable<string> Validate(JwtOptions o)
    {
        if (Encoding.UTF8.GetByteCount(o.SigningKey) < 32)
            yield return "Jwt:SigningKey must be set to at least 32 bytes (the AppHost passes its jwt-signing-key parameter as Jwt__SigningKey).";
        if (o.AccessTokenLifetime <= TimeSpan.Zero) yield return "Jwt:AccessTokenLifetime must be positive.";
        if (o.RefreshTokenLifetime <= o.AccessTokenLifetime) yield return "Jwt:RefreshTokenLifetime must be longer than the access token's.";
        if (o.RefreshGracePeriod < TimeSpan.Zero || o.RefreshGracePeriod > TimeSpan.FromMinutes(5))
            yield return "Jwt:RefreshGracePeriod must be between 0 and 5 minutes.";
        if (o.StampCacheDuration < TimeSpan.Zero) yield return "Jwt:StampCacheDuration must not be negative.";
    }
}

internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var errors = JwtOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
