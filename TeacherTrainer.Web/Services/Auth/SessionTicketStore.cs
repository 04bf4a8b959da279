using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>
/// Keeps each sign-in's authentication ticket (the user and their API tokens) in Redis,
/// data-protected; the cookie carries only the sign-in's key. Every replica sees the same tickets,
/// a token refreshed inside an interactive circuit is seen by the next request, and signing out
/// removes the ticket, so a copied cookie stops working at once.
/// </summary>
public sealed class SessionTicketStore(IConnectionMultiplexer redis, IDataProtectionProvider protection, TimeProvider time) : ITicketStore
{
    private const string KeyPrefix = "teachertrainer:web:session:";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(14);
    private readonly IDataProtector _protector = protection.CreateProtector("TeacherTrainer.Web.SessionTickets.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = ticket.Principal.FindFirstValue(WebClaims.SessionId) ?? SessionTickets.NewSessionId();
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var lifetime = ticket.Properties.ExpiresUtc is { } expires ? expires - time.GetUtcNow() : DefaultLifetime;
        if (lifetime < TimeSpan.FromMinutes(1)) lifetime = TimeSpan.FromMinutes(1);
        var value = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        return redis.GetDatabase().StringSetAsync(KeyPrefix + key, value, lifetime);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyPrefix + key);
        if (value.IsNullOrEmpty) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect((byte[])value!));
        }
        catch (CryptographicException)
        {
            // Protected with a key this app no longer has: as good as signed out.
            return null;
        }
    }

    public Task RemoveAsync(string key) => redis.GetDatabase().KeyDeleteAsync(KeyPrefix + key);

    public Task<bool> ExistsAsync(string key) => redis.GetDatabase().KeyExistsAsync(KeyPrefix + key);

}
