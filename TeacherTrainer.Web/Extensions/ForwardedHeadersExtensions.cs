using Microsoft.AspNetCore.HttpOverrides;

namespace TeacherTrainer.Web.Extensions;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// Behind a load balancer or ingress that ends TLS, the request reaches the web app over plain
    /// HTTP: without the proxy's <c>X-Forwarded-Proto</c> the app would think it is not on HTTPS,
    /// and its Secure-only cookies (anti-forgery, sign-in) would make every form page fail. The
    /// headers are trusted only from the proxies configured in <c>ForwardedHeaders:KnownProxies</c>
    /// (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR, for example the cluster's pod
    /// network): none by default, not even loopback, as in the API. The AppHost declares loopback when
    /// it runs the system on one machine (the place a reverse proxy would sit). See docs/scaling.md.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        // ASP.NET Core trusts loopback out of the box: start from nothing.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in app.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
        foreach (var network in app.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
