using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeacherTrainer.Web.Services.Api;

/// <summary>
/// The API refused or failed a request. Carries its RFC 7807 problem details (title, detail and,
/// for validation problems, the message for each field) so pages can say what went wrong.
/// </summary>
public class ApiProblemException(int status, string title, string? detail = null,
    IReadOnlyDictionary<string, string[]>? errors = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(string.IsNullOrWhiteSpace(detail) ? title : $"{title}: {detail}", inner)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    /// <summary>One or two sentences for a person: what happened and what to do.</summary>
    public virtual string UserMessage => Status switch
    {
        (int)HttpStatusCode.TooManyRequests =>
            $"You're going a little fast. Try again in {Math.Max(1, (int)Math.Ceiling((RetryAfter ?? TimeSpan.FromSeconds(30)).TotalSeconds))} seconds.",
        (int)HttpStatusCode.Forbidden when string.IsNullOrWhiteSpace(Detail) => "You don't have permission to do that.",
        (int)HttpStatusCode.NotFound when string.IsNullOrWhiteSpace(Detail) => "We couldn't find that. It may have been removed.",
        >= 500 when string.IsNullOrWhiteSpace(Detail) => "Something went wrong on our side. Please try again in a moment.",
        _ => string.IsNullOrWhiteSpace(Detail) ? Title : Detail!,
    };

    /// <summary>The messages the API gave for one field of the request (validation problems), if any.</summary>
    public IReadOnlyList<string> ErrorsFor(string field)
        => Errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Value).ToList();

    /// <param name="unauthorizedIsSignedOut">Whether a 401 means the session has ended (false for sign-in itself, where it means wrong credentials).</param>
    public static async Task<ApiProblemException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken, bool unauthorizedIsSignedOut = true)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        ProblemBody? body = null;
        try
        {
            if (response.Content.Headers.ContentLength is not 0)
            {
                body = await response.Content.ReadFromJsonAsync<ProblemBody>(ApiClient.Json, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not problem details (a proxy's page, an empty body): the status code speaks.
        }
        var title = string.IsNullOrWhiteSpace(body?.Title) ? DefaultTitle(response.StatusCode) : body!.Title!;
        return status == (int)HttpStatusCode.Unauthorized && unauthorizedIsSignedOut
            ? new SignedOutException(body?.Detail)
            : new ApiProblemException(status, title, body?.Detail, body?.Errors, retryAfter);
    }

    private static string DefaultTitle(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "The request was not accepted",
        HttpStatusCode.Forbidden => "Not allowed",
        HttpStatusCode.NotFound => "Not found",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.RequestEntityTooLarge => "Too large",
        HttpStatusCode.TooManyRequests => "Too many requests",
        _ => "The service had a problem",
    };

    private sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
}

/// <summary>The user is not signed in, or their sign-in has ended (signed out elsewhere, revoked, locked): sign in again.</summary>
public sealed class SignedOutException(string? detail = null)
    : ApiProblemException((int)HttpStatusCode.Unauthorized, "Signed out", detail)
{
    public override string UserMessage => "Your sign-in has ended. Please sign in again.";
}

/// <summary>The API could not be reached or did not answer in time.</summary>
public sealed class ApiUnavailableException(Exception inner)
    : ApiProblemException((int)HttpStatusCode.ServiceUnavailable, "The service is not answering", null, inner: inner)
{
    public override string UserMessage => "We couldn't reach the TeacherTrainer service. Check your connection and try again in a moment.";
}
