namespace TeacherTrainer.Web.Services.Api;

/// <summary>
/// Tells the API who is signing in: the browser's address as X-Forwarded-For. Without it every
/// sign-in through the web would come from the web server's one address and share one rate-limit
/// bucket; the API trusts the header only from the proxies it is told of (the AppHost declares this web
/// front end; by default none, not even loopback).
/// </summary>
public sealed class ClientAddressHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.Add("X-Forwarded-For", address.ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
