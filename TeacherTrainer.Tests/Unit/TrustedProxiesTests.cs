using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using TeacherTrainer.ApiService.Security;

#pragma warning disable CS0618 // GetEnvironmentVariableValuesAsync: see ContainersModeModelTests.

namespace TeacherTrainer.Tests.Unit;

/// <summary>Whose X-Forwarded-For the API believes: only configured proxies, not loopback by default; the AppHost declares the web.</summary>
public sealed class TrustedProxiesTests
{
    [Fact]
    public void With_nothing_configured_no_proxy_is_trusted_not_even_loopback()
    {
        var options = TrustedProxies.Options(new ConfigurationBuilder().Build());
        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
        Assert.Equal(1, options.ForwardLimit);
    }

    [Fact]
    public void Configured_proxies_and_networks_are_trusted()
    {
        var options = TrustedProxies.Options(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.7",
            ["ForwardedHeaders:KnownNetworks:0"] = "10.244.0.0/16",
        }).Build());
        Assert.Equal([IPAddress.Parse("10.0.0.7")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.244.0.0/16")], options.KnownIPNetworks);
    }

    [Fact]
    public async Task The_AppHost_declares_the_web_front_end_a_known_proxy_of_the_API()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            ["--Infrastructure:Mode=Existing", "--ConnectionStrings:teacherdb=Host=x", "--ConnectionStrings:cache=x:6379"], TestContext.Current.CancellationToken);
        var api = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == "apiservice");
        // Built in run mode (where the declaration applies); read with Publish, which does not wait for live values.
        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Equal("127.0.0.1", environment["ForwardedHeaders__KnownProxies__0"]);
        Assert.Equal("::1", environment["ForwardedHeaders__KnownProxies__1"]);
    }

    [Fact]
    public async Task The_AppHost_declares_loopback_a_known_proxy_of_the_web_and_nothing_else()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            ["--Infrastructure:Mode=Existing", "--ConnectionStrings:teacherdb=Host=x", "--ConnectionStrings:cache=x:6379", "--ConnectionStrings:sessions=x:6380"], TestContext.Current.CancellationToken);
        var web = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == "webfrontend");
        var environment = await web.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Equal("127.0.0.1", environment["ForwardedHeaders__KnownProxies__0"]);
        Assert.Equal("::1", environment["ForwardedHeaders__KnownProxies__1"]);
        Assert.DoesNotContain("ForwardedHeaders__KnownNetworks__0", environment.Keys);
    }
}
