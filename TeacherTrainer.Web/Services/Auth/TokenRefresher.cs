using StackExchange.Redis;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>
/// Renews a sign-in's access token with its refresh token. Refresh tokens are single use (the API
/// revokes a sign-in whose refresh token is used twice), so renewals of one sign-in are serialised
/// across circuits, tabs and replicas by a Redis lock, and whoever comes second takes the tokens
/// the first one stored instead of refreshing again.
/// </summary>
public sealed class TokenRefresher(
    SessionTicketStore store, AuthApiClient auth, IConnectionMultiplexer redis, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

    /// <summary>Fresh tokens for the sign-in, or null when it has ended (signed out, revoked, locked).</summary>
    /// <param name="staleAccessToken">The token that expired or was refused.</param>
    public async Task<ApiTokens?> RefreshAsync(string sessionId, string staleAccessToken, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var lockKey = $"teachertrainer:web:session-refresh:{sessionId}";
        var owner = Guid.NewGuid().ToString("N");
        await AcquireAsync(database, lockKey, owner, cancellationToken);
        try
        {
            var ticket = await store.RetrieveAsync(sessionId);
            var current = ticket is null ? null : ApiTokens.From(ticket.Properties);
            if (ticket is null || current is null) return null;
            if (current.AccessToken != staleAccessToken && current.ExpiresAt - time.GetUtcNow() > ApiTokenSession.RefreshMargin)
            {
                return current;
            }
            TokenResponse issued;
            try
            {
                issued = await auth.RefreshAsync(current.RefreshToken, cancellationToken);
            }
            catch (ApiProblemException problem) when (problem.Status is 400 or 401 or 403 or 423)
            {
                logger.LogInformation("Sign-in {Session} ended: the API refused its refresh token ({Status})", Short(sessionId), problem.Status);
                await store.RemoveAsync(sessionId);
                return null;
            }
            var refreshed = ApiTokens.From(issued, time.GetUtcNow());
            await store.RenewAsync(sessionId, SessionTickets.WithTokens(ticket, sessionId, refreshed));
            return refreshed;
        }
        finally
        {
            await database.LockReleaseAsync(lockKey, owner);
        }
    }

    private static async Task AcquireAsync(IDatabase database, string key, string owner, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (!await database.LockTakeAsync(key, owner, LockLifetime))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Another renewal of this sign-in did not finish.");
            await Task.Delay(50, cancellationToken);
        }
    }

    private static string Short(string sessionId) => sessionId[..Math.Min(6, sessionId.Length)];
}
