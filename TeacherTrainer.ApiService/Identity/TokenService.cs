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
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Identity;

public enum RefreshFailure { None, Unknown, Expired, Revoked, Reused, Locked }

/// <summary>Issues access tokens and rotating refresh tokens, and revokes them.</summary>
public sealed class TokenService(
    TeacherDbContext db,
    UserManager<AppUser> users,
    TokenRevocationCheck revocation,
    IOptions<JwtOptions> options,
    TimeProvider time,
    SecurityLog securityLog,
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
    /// Exchanges a refresh token for a new pair. A token exchanged within the last
    /// <see cref="JwtOptions.RefreshGracePeriod"/> gets a sibling in the same family: two tabs or two
    /// web replicas renewing one sign-in at the same moment both succeed. A used token presented
    /// after that revokes its whole family: someone else has a copy.
    /// </summary>
    /// <param name="sourceAddress">The caller's address, for the security log.</param>
    public async Task<(TokenResponse? Tokens, RefreshFailure Failure)> RefreshAsync(string refreshToken, string? sourceAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        var stored = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (stored is null) return (null, RefreshFailure.Unknown);
        if (stored.RevokedAt is not null) return (null, RefreshFailure.Revoked);
        if (stored.UsedAt is { } usedAt && now - usedAt > Options.RefreshGracePeriod)
        {
            logger.LogWarning("Refresh token reuse for user {UserId}: revoking token family {FamilyId}", stored.UserId, stored.FamilyId);
            securityLog.RefreshReplayed(stored.UserId.ToString(), sourceAddress);
            await db.RefreshTokens.Where(t => t.FamilyId == stored.FamilyId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, "reuse-detected"), cancellationToken);
            return (null, RefreshFailure.Reused);
        }
        if (stored.ExpiresAt <= now) return (null, RefreshFailure.Expired);
        var user = await users.FindByIdAsync(stored.UserId.ToString());
        if (user is null) return (null, RefreshFailure.Unknown);
        if (await users.IsLockedOutAsync(user)) return (null, RefreshFailure.Locked);
        var familyId = stored.FamilyId;
        if (stored.UsedAt is not null) return Sibling(await IssueSiblingAsync(user, familyId, cancellationToken));

        stored.UsedAt = now;
        try
        {
            return (await IssueAsync(user, familyId, cancellationToken), RefreshFailure.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same token was exchanged at this very moment by another request (two tabs): it won,
            // and this one is inside the grace period by definition.
            db.ChangeTracker.Clear();
            return Sibling(await IssueSiblingAsync(user, familyId, cancellationToken));
        }
    }

    private static (TokenResponse?, RefreshFailure) Sibling(TokenResponse? tokens) => (tokens, tokens is null ? RefreshFailure.Revoked : RefreshFailure.None);

    /// <summary>Another pair in the family, unless the family was revoked in the meantime (a sign-out, a replay).</summary>
    private async Task<TokenResponse?> IssueSiblingAsync(AppUser user, Guid familyId, CancellationToken cancellationToken)
    {
        if (await db.RefreshTokens.AnyAsync(t => t.FamilyId == familyId && t.RevokedAt != null, cancellationToken)) return null;
        logger.LogInformation("Refresh token of user {UserId} renewed again within the grace period: a sibling in family {FamilyId}", user.Id, familyId);
        return await IssueAsync(user, familyId, cancellationToken);
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

    public const string NoUser = "The token names no user";
    public const string NoAccount = "The account no longer exists";
    public const string AccountLocked = "The account is locked";
    public const string Revoked = "The token has been revoked (signed out, or the account changed)";

    /// <summary>The reasons this check gives: fixed, one line, safe to put in a header.</summary>
    public static readonly IReadOnlySet<string> Reasons = new HashSet<string>([NoUser, NoAccount, AccountLocked, Revoked], StringComparer.Ordinal);

    /// <summary>Null when the token is current; otherwise why it is not (one of <see cref="Reasons"/>).</summary>
    public async Task<string?> CheckAsync(ClaimsPrincipal principal, TeacherDbContext db, CancellationToken cancellationToken)
    {
        if (!principal.TryGetUserId(out var userId)) return NoUser;
        var key = CacheKey(userId);
        if (!cache.TryGetValue(key, out UserState? state))
        {
            state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new UserState(u.SecurityStamp ?? "", u.LockoutEnd))
                .SingleOrDefaultAsync(cancellationToken);
            if (state is not null) state = state with { StampHash = TokenService.StampHash(state.StampHash) };
            if (options.Value.StampCacheDuration > TimeSpan.Zero) cache.Set(key, state, options.Value.StampCacheDuration);
        }
        if (state is null) return NoAccount;
        if (state.LockoutEnd is { } end && end > time.GetUtcNow()) return AccountLocked;
        if (!string.Equals(principal.FindFirst(ClaimsPrincipalExtensions.StampClaim)?.Value, state.StampHash, StringComparison.Ordinal))
            return Revoked;
        return null;
    }

    public void Forget(Guid userId) => cache.Remove(CacheKey(userId));

    private static string CacheKey(Guid userId) => $"sstamp:{userId:N}";
}
