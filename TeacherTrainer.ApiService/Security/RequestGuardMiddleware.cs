using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Refuses, before any handler runs, what no handler should see: a body larger than the endpoint
/// allows (413), and a URL whose decoded path or query holds control characters or invalid Unicode (400).
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next, IConfiguration configuration)
{
    /// <summary>Default body limit; an endpoint sets its own with <c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c>.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    private readonly long _defaultLimit = configuration.GetValue("Limits:MaxRequestBodyBytes", DefaultMaxBodyBytes);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!SafeTextAttribute.IsSafe(context.Request.Path.Value) || !QueryIsSafe(context.Request.Query))
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid URL",
                "The URL contains a control character or invalid Unicode.");
            return;
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? _defaultLimit;
        if (context.Request.ContentLength > limit)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"This endpoint accepts at most {limit:N0} bytes.");
            return;
        }
        // Kestrel enforces the limit on bodies sent without a length (chunked) as they are read.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limit;
        await next(context);
    }

    private static bool QueryIsSafe(IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            if (!SafeTextAttribute.IsSafe(key)) return false;
            foreach (var value in values)
            {
                if (value is not null && !SafeTextAttribute.IsSafe(value)) return false;
            }
        }
        return true;
    }
}
