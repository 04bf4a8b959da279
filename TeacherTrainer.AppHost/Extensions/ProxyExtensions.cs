namespace TeacherTrainer.AppHost.Extensions;

public static class ProxyExtensions
{
    /// <summary>
    /// Declares the web front end a known proxy of the API, so the API believes the browser's
    /// address the web forwards (X-Forwarded-For) for its per-address sign-in limits, and believes
    /// no one else's: the API trusts no proxy unless told. Run here, the web calls the API from
    /// this machine (loopback); a deployment names the web's addresses or network instead
    /// (ForwardedHeaders__KnownProxies__n / ForwardedHeaders__KnownNetworks__n).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebFrontEndAsKnownProxy(this IResourceBuilder<ProjectResource> api)
    {
        if (!api.ApplicationBuilder.ExecutionContext.IsRunMode) return api;
        return api
            .WithEnvironment("ForwardedHeaders__KnownProxies__0", "127.0.0.1")
            .WithEnvironment("ForwardedHeaders__KnownProxies__1", "::1");
    }

    /// <summary>
    /// The web front end believes X-Forwarded-For and X-Forwarded-Proto only from proxies it is told
    /// of. Run on one machine, a reverse proxy in front of it would be on loopback, so loopback is
    /// declared here; a deployment names its ingress instead.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLoopbackReverseProxy(this IResourceBuilder<ProjectResource> web)
    {
        if (!web.ApplicationBuilder.ExecutionContext.IsRunMode) return web;
        return web
            .WithEnvironment("ForwardedHeaders__KnownProxies__0", "127.0.0.1")
            .WithEnvironment("ForwardedHeaders__KnownProxies__1", "::1");
    }
}
