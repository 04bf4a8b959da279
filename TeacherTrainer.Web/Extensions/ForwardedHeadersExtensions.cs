using Microsoft.AspNetCore.HttpOverrides;

namespace TeacherTrainer.Web.Extensions;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// Behind a load balancer or ingress that ends TLS, the request reaches the web app over plain
    /// HTTP: without the proxy's <c>X-Forwarded-Proto</c> the app would think it is not on HTTPS,
    /// and its Secure-only cookies (anti-forgery, sign-in) would make every form page fail. The
    /// headers are trusted only from known proxies: loopback, plus the networks in
    /// <c>ForwardedHeaders:KnownNetworks</c> (CIDR, for example the cluster's pod network). See docs/scaling.md.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        foreach (var network in app.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
