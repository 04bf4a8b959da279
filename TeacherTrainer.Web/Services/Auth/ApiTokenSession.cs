using Microsoft.AspNetCore.Components.Authorization;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>
/// The signed-in user's API tokens for one scope: an HTTP request, or an interactive circuit (a
/// circuit has no HttpContext to read a cookie from, so the tokens come from the sign-in's ticket
/// in <see cref="SessionTicketStore"/>, found by the session id claim of the circuit's user).
/// Hands out an access token that is valid for at least <see cref="RefreshMargin"/>, refreshing it
/// through <see cref="TokenRefresher"/> when it is not.
/// </summary>
public sealed class ApiTokenSession(AuthenticationStateProvider authentication, SessionTicketStore store, TokenRefresher refresher, TimeProvider time)
{
    /// <summary>A token closer to its expiry than this is renewed before use.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private string? _sessionId;
    private ApiTokens? _tokens;

    /// <exception cref="SignedOutException">No one is signed in, or the sign-in has ended.</exception>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = _tokens ?? await LoadAsync();
        if (tokens.ExpiresAt - time.GetUtcNow() > RefreshMargin) return tokens.AccessToken;
        return (await RefreshAsync(tokens.AccessToken, cancellationToken)).AccessToken;
    }

    /// <summary>The API refused <paramref name="rejectedAccessToken"/>: renew it (once) or end the sign-in.</summary>
    public async Task<string> RefreshAfterRejectionAsync(string rejectedAccessToken, CancellationToken cancellationToken)
        => (await RefreshAsync(rejectedAccessToken, cancellationToken)).AccessToken;

    /// <summary>
    /// Keeps tokens the API issued to this sign-in in place of its current ones (a password change
    /// revokes every other token of the user and hands this session a new pair).
    /// </summary>
    public async Task ReplaceAsync(TokenResponse issued)
    {
        if (_sessionId is null) await LoadAsync();
        var ticket = await store.RetrieveAsync(_sessionId!) ?? throw new SignedOutException();
        var tokens = ApiTokens.From(issued, time.GetUtcNow());
        await store.RenewAsync(_sessionId!, SessionTickets.WithTokens(ticket, _sessionId!, tokens));
        _tokens = tokens;
    }

    private async Task<ApiTokens> LoadAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        _sessionId = state.User.FindFirst(WebClaims.SessionId)?.Value ?? throw new SignedOutException("No one is signed in.");
        var ticket = await store.RetrieveAsync(_sessionId) ?? throw new SignedOutException();
        return _tokens = ApiTokens.From(ticket.Properties) ?? throw new SignedOutException();
    }

    private async Task<ApiTokens> RefreshAsync(string staleAccessToken, CancellationToken cancellationToken)
    {
        if (_sessionId is null) await LoadAsync();
        _tokens = await refresher.RefreshAsync(_sessionId!, staleAccessToken, cancellationToken);
        return _tokens ?? throw new SignedOutException();
    }
}
