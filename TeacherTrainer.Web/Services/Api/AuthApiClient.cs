using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TeacherTrainer.Web.Services.Api;

/// <summary>
/// The API's sign-in endpoints: used before there is a session (sign in, sign up), to renew one
/// (refresh) and to end one (sign out). A refusal throws <see cref="ApiProblemException"/> with the
/// API's words ("The email or password is incorrect...").
/// </summary>
public sealed class AuthApiClient(HttpClient http)
{
    /// <param name="code">The two-factor code, once the API has answered that one is needed (<see cref="AuthTitles.TwoFactorRequired"/>).</param>
    public Task<TokenResponse> SignInAsync(string email, string password, string? code = null, CancellationToken cancellationToken = default)
        => PostAsync<TokenResponse>("/api/auth/token", new TokenRequest(email, password, string.IsNullOrWhiteSpace(code) ? null : code), null, cancellationToken);

    /// <summary>Whether the user just signed in must set up two-factor sign-in (an admin requires it for staff).</summary>
    public async Task<bool> MustEnrolTwoFactorAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await ApiClient.TransmitAsync(http, request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) return false;
        return (await response.Content.ReadFromJsonAsync<MeResponse>(ApiClient.Json, cancellationToken))?.MustEnrolTwoFactor == true;
    }

    /// <summary>Sets a new password with an admin-issued reset link (anonymous; every session of the user ends).</summary>
    public async Task ResetPasswordAsync(ResetPasswordRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("/api/auth/password/reset", request, null, cancellationToken);
    }

    public Task<TokenResponse> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken = default)
        => PostAsync<TokenResponse>("/api/auth/signup", request, null, cancellationToken);

    /// <summary>Exchanges a refresh token (single use) for a new pair.</summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
        => PostAsync<TokenResponse>("/api/auth/refresh", new RefreshRequest(refreshToken), null, cancellationToken);

    /// <summary>Revokes every token of the user (the API signs them out everywhere).</summary>
    public async Task SignOutAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("/api/auth/signout", null, accessToken, cancellationToken);
    }

    private async Task<T> PostAsync<T>(string url, object body, string? accessToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(url, body, accessToken, cancellationToken);
        return await ApiClient.ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string url, object? body, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = body is null ? null : JsonContent.Create(body, options: ApiClient.Json),
        };
        if (accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await ApiClient.TransmitAsync(http, request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        // A 401 here is wrong credentials or a spent refresh token, not an ended session.
        return await ApiClient.SucceededAsync(response, cancellationToken, unauthorizedIsSignedOut: false);
    }
}
