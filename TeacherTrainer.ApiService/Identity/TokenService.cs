using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Identity;

/// <param name="AccessToken">A JWT to send as <c>Authorization: Bearer ...</c>.</param>
/// <param name="ExpiresIn">Seconds until the access token expires.</param>
/// <param name="RefreshToken">Exchange at <c>POST /api/auth/refresh</c> for a new pair; single use.</param>
public sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType = "Bearer");

public enum RefreshFailure { None, Unknown, Expired, Revoked, Reused, Locked }

/// <summary>Issues access tokens and rotating refresh tokens, and revokes them.</summary>
public sealed class TokenService(
    TeacherDbContext db,
    UserManager<AppUser> users,
    TokenRevocationCheck revocation,
    IOptions<JwtOptions> options,
    TimeProvider time,
    ILogger<TokenService> logger)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private JwtOptions Options => options.Value;

    /// <summary>A new access token and a refresh token (the first of a new family unless <paramref name="familyId"/> is given).</summary>
    public async Task<TokenResponse> IssueAsync(AppUser user, Guid? familyId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var roles = await users.GetRolesAsync(user);
        var stamp = await users.GetSecurityStampAsync(user);
        var claims = new Dictionary<string, object>
        {
            [ClaimsPrincipalExtensions.UserIdClaim] = user.Id.ToString(),
            [ClaimsPrincipalExtensions.EmailClaim] = user.Email ?? "",
            [ClaimsPrincipalExtensions.NameClaim] = user.DisplayName,
            [ClaimsPrincipalExtensions.StampClaim] = StampHash(stamp),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [ClaimsPrincipalExtensions.RoleClaim] = roles.ToArray(),
        };
        var accessToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Options.Issuer,
            Audience = Options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Options.AccessTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(Options.CreateSigningKey(), SecurityAlgorithms.HmacSha256),
        });

        var refreshToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(), UserId = user.Id, FamilyId = familyId ?? Guid.CreateVersion7(), TokenHash = Hash(refreshToken),
            CreatedAt = now, ExpiresAt = now + Options.RefreshTokenLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new TokenResponse(accessToken, (int)Options.AccessTokenLifetime.TotalSeconds, refreshToken);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. A token that was already exchanged revokes its
    /// whole family: someone else has a copy.
    /// </summary>
    public async Task<(TokenResponse? Tokens, RefreshFailure Failure)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        var stored = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (stored is null) return (null, RefreshFailure.Unknown);
        if (stored.RevokedAt is not null) return (null, RefreshFailure.Revoked);
        if (stored.UsedAt is not null)
        {
            logger.LogWarning("Refresh token reuse for user {UserId}: revoking token family {FamilyId}", stored.UserId, stored.FamilyId);
            await db.RefreshTokens.Where(t => t.FamilyId == stored.FamilyId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, "reuse-detected"), cancellationToken);
            return (null, RefreshFailure.Reused);
        }
        if (stored.ExpiresAt <= now) return (null, RefreshFailure.Expired);
        var user = await users.FindByIdAsync(stored.UserId.ToString());
        if (user is null) return (null, RefreshFailure.Unknown);
        if (await users.IsLockedOutAsync(user)) return (null, RefreshFailure.Locked);

        stored.UsedAt = now;
        try
        {
            var tokens = await IssueAsync(user, stored.FamilyId, cancellationToken);
            return (tokens, RefreshFailure.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same token was exchanged at the same moment by another request (two tabs): that one won.
            return (null, RefreshFailure.Revoked);
        }
    }

    /// <summary>
    /// Signs a user out everywhere: revokes every refresh token and changes the security stamp, so
    /// access tokens already issued stop working too.
    /// </summary>
    public async Task RevokeAllAsync(AppUser user, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), cancellationToken);
        await users.UpdateSecurityStampAsync(user);
        revocation.Forget(user.Id);
    }

    /// <summary>Changes the security stamp only (role changes): access tokens stop working, refresh tokens still do.</summary>
    public async Task InvalidateAccessTokensAsync(AppUser user)
    {
        await users.UpdateSecurityStampAsync(user);
        revocation.Forget(user.Id);
    }

    public static string Hash(string refreshToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    /// <summary>The stamp itself never leaves the server: tokens carry a hash of it.</summary>
    public static string StampHash(string? stamp) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(stamp ?? "")))[..22];
}

/// <summary>
/// Rejects access tokens issued before a sign-out, role change or lock: each request's token must
/// carry the hash of the user's current security stamp, and the user must not be locked out. The
/// stamp is cached for <see cref="JwtOptions.StampCacheDuration"/> to spare the database.
/// </summary>
public sealed class TokenRevocationCheck(IMemoryCache cache, IOptions<JwtOptions> options, TimeProvider time)
{
    private sealed record UserState(string StampHash, DateTimeOffset? LockoutEnd);

    /// <summary>Null when the token is current; otherwise why it is not.</summary>
    public async Task<string?> CheckAsync(ClaimsPrincipal principal, TeacherDbContext db, CancellationToken cancellationToken)
    {
        if (!principal.TryGetUserId(out var userId)) return "The token names no user.";
        var key = CacheKey(userId);
        if (!cache.TryGetValue(key, out UserState? state))
        {
            state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new UserState(u.SecurityStamp ?? "", u.LockoutEnd))
                .SingleOrDefaultAsync(cancellationToken);
            if (state is not null) state = state with { StampHash = TokenService.StampHash(state.StampHash) };
            if (options.Value.StampCacheDuration > TimeSpan.Zero) cache.Set(key, state, options.Value.StampCacheDuration);
        }
        if (state is null) return "The account no longer exists.";
        if (state.LockoutEnd is { } end && end > time.GetUtcNow()) return "The account is locked.";
        if (!string.Equals(principal.FindFirst(ClaimsPrincipalExtensions.StampClaim)?.Value, state.StampHash, StringComparison.Ordinal))
            return "The token has been revoked (signed out, or the account changed); sign in again.";
        return null;
    }

    public void Forget(Guid userId) => cache.Remove(CacheKey(userId));

    private static string CacheKey(Guid userId) => $"sstamp:{userId:N}";
}
