using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Whose <c>X-Forwarded-For</c> (and <c>X-Forwarded-Proto</c>) the API believes. Only the proxies configured in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR):
/// none by default, not even loopback, because anything on the same host (or a sidecar) could
/// otherwise choose the address the per-address sign-in limits count against. The AppHost declares
/// the web front end; a deployment names its ingress or pod network.
/// </summary>
public static class TrustedProxies
{
    public static ForwardedHeadersOptions Options(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions
        {
            // The scheme too: behind an ingress that ends TLS the request is HTTPS (HSTS is sent) only if the proxy says so.
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        // ASP.NET Core trusts loopback out of the box: start from nothing.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        return options;
    }
}
