using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Refuses, before any handler runs, what no handler should see: a body larger than the endpoint
/// allows (413), and a URL whose decoded path or query holds control characters or invalid Unicode (400);
/// also a URL too long (414) and headers too large (431), which Kestrel would otherwise answer itself,
/// before any middleware, without the security headers (see <see cref="ConfigureKestrel"/>).
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next, IConfiguration configuration)
{
    /// <summary>Longest request target (path and query) answered normally: Kestrel's own default.</summary>
    public const int MaxUrlBytes = 8 * 1024;
    /// <summary>Largest request headers in all answered normally: Kestrel's own default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>
    /// Kestrel's own limits, raised above ours so that it is this middleware, with problem details
    /// and the security headers, that refuses a long URL or large headers. Beyond these Kestrel
    /// refuses by itself with an empty body (nothing to render, sniff or frame).
    /// </summary>
    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 4 * MaxUrlBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
    }

    /// <summary>Default body limit; an endpoint sets its own with <c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c>.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    private readonly long _defaultLimit = configuration.GetValue("Limits:MaxRequestBodyBytes", DefaultMaxBodyBytes);

    public async Task InvokeAsync(HttpContext context)
    {
        if ((context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0) > MaxUrlBytes)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status414UriTooLong, "URL too long",
                $"The URL (path and query) may be at most {MaxUrlBytes:N0} bytes.");
            return;
        }
        if (HeaderBytes(context.Request.Headers) > MaxHeaderBytes)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The request's headers may be at most {MaxHeaderBytes:N0} bytes in all.");
            return;
        }
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

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (key, values) in headers)
        {
            total += key.Length + 4;
            foreach (var value in values) total += value?.Length ?? 0;
        }
        return total;
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
