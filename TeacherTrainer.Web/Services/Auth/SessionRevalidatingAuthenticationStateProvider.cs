using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>
/// The user of an interactive circuit, re-checked every minute: once their sign-in's ticket is gone
/// (signed out in another tab, the API refused to renew it), the circuit's user becomes anonymous
/// and its pages send them to sign in.
/// </summary>
public sealed class SessionRevalidatingAuthenticationStateProvider(ILoggerFactory loggers, SessionTicketStore store)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        if (!state.User.IsSignedIn()) return true;
        var sessionId = state.User.FindFirst(WebClaims.SessionId)?.Value;
        return sessionId is not null && await store.ExistsAsync(sessionId);
    }
}
