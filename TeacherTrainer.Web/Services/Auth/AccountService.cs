using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>Signs users in, up and out of the web app, with their tokens from the API (static server-rendered requests only).</summary>
public sealed class AccountService(AuthApiClient auth, TimeProvider time, ILogger<AccountService> logger)
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(14);

    /// <returns>Whether the user must now set up two-factor sign-in (an admin requires it for staff).</returns>
    /// <exception cref="ApiProblemException">The API refused (wrong password, a two-factor code needed or wrong, locked, too many attempts).</exception>
    public async Task<bool> SignInAsync(HttpContext http, string email, string password, string? code, bool remember, CancellationToken cancellationToken)
    {
        var tokens = await auth.SignInAsync(email.Trim(), password, code, cancellationToken);
        await EstablishAsync(http, tokens, remember);
        return await auth.MustEnrolTwoFactorAsync(tokens.AccessToken, cancellationToken);
    }

    /// <exception cref="ApiProblemException">The API refused (account exists, weak password, unknown invitation code).</exception>
    public async Task SignUpAsync(HttpContext http, SignUpRequest request, CancellationToken cancellationToken)
        => await EstablishAsync(http, await auth.SignUpAsync(request, cancellationToken), remember: false);

    /// <summary>Revokes the user's API tokens (the API signs them out everywhere) and ends this sign-in.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var result = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var tokens = result.Properties is null ? null : ApiTokens.From(result.Properties);
        if (tokens is not null)
        {
            try
            {
                var accessToken = tokens.AccessToken;
                if (tokens.ExpiresAt <= time.GetUtcNow().AddSeconds(10))
                {
                    accessToken = (await auth.RefreshAsync(tokens.RefreshToken, cancellationToken)).AccessToken;
                }
                await auth.SignOutAsync(accessToken, cancellationToken);
            }
            catch (ApiProblemException problem)
            {
                // Already revoked or expired, or the API is away: this sign-in ends all the same.
                logger.LogInformation("Sign-out: the API's tokens were not revoked ({Status})", problem.Status);
            }
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task EstablishAsync(HttpContext http, TokenResponse response, bool remember)
    {
        var now = time.GetUtcNow();
        var properties = new AuthenticationProperties { IsPersistent = remember, IssuedUtc = now, ExpiresUtc = now + SessionLifetime };
        var ticket = SessionTickets.Create(SessionTickets.NewSessionId(), ApiTokens.From(response, now), properties);
        // The cookie handler keeps the ticket in its session store and puts only its key in the cookie.
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ticket.Principal, ticket.Properties);
    }
}
