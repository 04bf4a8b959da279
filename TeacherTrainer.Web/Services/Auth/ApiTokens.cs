using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>The API tokens of one sign-in, as kept in its authentication ticket.</summary>
public sealed record ApiTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    private const string AccessTokenName = "access_token";
    private const string RefreshTokenName = "refresh_token";
    private const string ExpiresAtName = "expires_at";

    public static ApiTokens From(TokenResponse response, DateTimeOffset now)
        => new(response.AccessToken, response.RefreshToken, now.AddSeconds(response.ExpiresIn));

    public static ApiTokens? From(AuthenticationProperties properties)
    {
        var access = properties.GetTokenValue(AccessTokenName);
        var refresh = properties.GetTokenValue(RefreshTokenName);
        var expires = properties.GetTokenValue(ExpiresAtName);
        if (access is null || refresh is null
            || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt))
        {
            return null;
        }
        return new ApiTokens(access, refresh, expiresAt);
    }

    public void StoreIn(AuthenticationProperties properties) => properties.StoreTokens(
    [
        new AuthenticationToken { Name = AccessTokenName, Value = AccessToken },
        new AuthenticationToken { Name = RefreshTokenName, Value = RefreshToken },
        new AuthenticationToken { Name = ExpiresAtName, Value = ExpiresAt.ToString("o", CultureInfo.InvariantCulture) },
    ]);
}

/// <summary>Builds the authentication tickets of the web app's sign-ins from the API's tokens.</summary>
public static class SessionTickets
{
    /// <summary>A ticket for the sign-in <paramref name="sessionId"/>: the user as the access token names them, and the tokens.</summary>
    public static AuthenticationTicket Create(string sessionId, ApiTokens tokens, AuthenticationProperties properties)
    {
        tokens.StoreIn(properties);
        return new AuthenticationTicket(Principal(sessionId, tokens.AccessToken), properties, CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The same sign-in with new tokens (the user's name or role may have changed with them).</summary>
    public static AuthenticationTicket WithTokens(AuthenticationTicket ticket, string sessionId, ApiTokens tokens)
        => Create(sessionId, tokens, ticket.Properties.Clone());

    public static string NewSessionId() => Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The user the access token names. The token came straight from the API over its own
    /// connection, so its payload is read, not verified: the API verifies it on every call.
    /// </summary>
    public static ClaimsPrincipal Principal(string sessionId, string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3) throw new FormatException("The access token is not a JWT.");
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var root = payload.RootElement;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Text(root, TokenClaims.UserId)),
            new(ClaimTypes.Name, Text(root, TokenClaims.Name)),
            new(ClaimTypes.Email, Text(root, TokenClaims.Email)),
            new(WebClaims.SessionId, sessionId),
        };
        if (root.TryGetProperty(TokenClaims.Role, out var role))
        {
            var roles = role.ValueKind == JsonValueKind.Array ? role.EnumerateArray().Select(r => r.GetString()) : [role.GetString()];
            claims.AddRange(roles.Where(r => !string.IsNullOrEmpty(r)).Select(r => new Claim(ClaimTypes.Role, r!)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static string Text(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
