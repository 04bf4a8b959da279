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
    public Task<TokenResponse> SignInAsync(string email, string password, CancellationToken cancellationToken = default)
        => PostAsync<TokenResponse>("/api/auth/token", new SignInRequest(email, password), null, cancellationToken);

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
