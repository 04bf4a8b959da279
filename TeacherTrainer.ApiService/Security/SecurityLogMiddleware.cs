
namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Writes every refusal to the security log once the answer is known: 401 (no or bad credentials),
/// 403 (signed in, not allowed) and 429 (rate limited), with the user (when known) and the client's
/// address. It sits after authentication, so the user is known, and around authorization, the rate
/// limiter and the endpoints, so it sees the refusals of each. Only the path is written, never the
/// query string or a header (they can carry tokens or text a trainee wrote).
/// </summary>
public sealed class SecurityLogMiddleware(RequestDelegate next, SecurityLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var request = context.Request;
        var address = context.Connection.RemoteIpAddress?.ToString();
        string? actor = CallerClaims.TryReadUserId(context.User, out var id) ? id.ToString() : null;
        switch (context.Response.StatusCode)
        {
            case StatusCodes.Status401Unauthorized:
                log.Unauthenticated(request.Method, request.Path, address);
                break;
            case StatusCodes.Status403Forbidden:
                log.Forbidden(request.Method, request.Path, actor, address);
                break;
            case StatusCodes.Status429TooManyRequests:
                log.RateLimited(request.Method, request.Path, actor, address);
                break;
        }
    }
}
