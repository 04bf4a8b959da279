using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.Timeout;
using TeacherTrainer.Web.Services.Auth;

namespace TeacherTrainer.Web.Services.Api;

/// <summary>
/// Typed client for the ApiService (found by service discovery). Every call carries the signed-in
/// user's access token from <see cref="ApiTokenSession"/>; a token that has expired is refreshed
/// first, and a call the API answers 401 is retried once with a refreshed token. A refusal becomes
/// an <see cref="ApiProblemException"/> holding the API's problem details. One partial file per
/// API feature.
/// </summary>
public sealed partial class ApiClient(HttpClient http, ApiTokenSession tokens)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<T> GetAsync<T>(string url, CancellationToken cancellationToken, bool anonymous = false)
    {
        using var response = await SendAsync(HttpMethod.Get, url, null, cancellationToken, anonymous: anonymous);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string url, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, url, body is null ? null : () => JsonContent.Create(body, options: Json), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task SendJsonAsync(HttpMethod method, string url, object? body, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(method, url, body is null ? null : () => JsonContent.Create(body, options: Json), cancellationToken);
    }

    /// <summary>The body of a successful response; an empty one is the API's failure (502).</summary>
    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
           ?? throw new ApiProblemException((int)HttpStatusCode.BadGateway, "The service answered with nothing");

    /// <summary>
    /// Sends a request as the signed-in user and returns a successful response (the caller disposes it).
    /// <paramref name="content"/> makes the body afresh for the retry after a refresh.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Func<HttpContent>? content, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, string? accept = null, bool anonymous = false)
    {
        var token = anonymous ? null : await tokens.GetAccessTokenAsync(cancellationToken);
        var response = await SendOnceAsync(method, url, content, token, completion, accept, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null)
        {
            // Revoked or expired early (a role change, a clock apart): refresh once and try again.
            response.Dispose();
            token = await tokens.RefreshAfterRejectionAsync(token, cancellationToken);
            response = await SendOnceAsync(method, url, content, token, completion, accept, cancellationToken);
        }
        return await SucceededAsync(response, cancellationToken);
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string url, Func<HttpContent>? content, string? token,
        HttpCompletionOption completion, string? accept, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url) { Content = content?.Invoke() };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept ?? "application/json"));
        return TransmitAsync(http, request, completion, cancellationToken);
    }

    /// <summary>Sends a request; a network failure or a timeout (not the caller's cancellation) is <see cref="ApiUnavailableException"/>.</summary>
    internal static async Task<HttpResponseMessage> TransmitAsync(HttpClient http, HttpRequestMessage request, HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiUnavailableException(ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ApiUnavailableException(ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnavailableException(ex);
        }
    }

    /// <summary><paramref name="response"/> if it succeeded; else the API's problem is thrown (and the response disposed).</summary>
    /// <param name="unauthorizedIsSignedOut">False for sign-in itself, where a 401 means wrong credentials.</param>
    internal static async Task<HttpResponseMessage> SucceededAsync(HttpResponseMessage response, CancellationToken cancellationToken,
        bool unauthorizedIsSignedOut = true)
    {
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ApiProblemException.FromResponseAsync(response, cancellationToken, unauthorizedIsSignedOut);
        }
    }

    private static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? path : $"{path}?{string.Join('&', given)}";
    }

    private static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>Every layer's status (administrators only; anyone else gets just up or down from /api/status).</summary>
    public Task<StatusReport> GetStatusAsync(CancellationToken cancellationToken = default)
        => GetAsync<StatusReport>("/api/admin/status", cancellationToken);

    public Task<MeResponse> GetMeAsync(CancellationToken cancellationToken = default)
        => GetAsync<MeResponse>("/api/auth/me", cancellationToken);
}
