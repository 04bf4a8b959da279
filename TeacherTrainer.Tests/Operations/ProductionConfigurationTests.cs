using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeacherTrainer.Tests.Fixtures;
using TeacherTrainer.Web.Services.Security;

namespace TeacherTrainer.Tests.Operations;

/// <summary>
/// The API and the web in Production (the environment a host gets when none is named): they
/// refuse to start without the secrets and connection strings they need, naming the setting;
/// send HSTS on HTTPS (also when a trusted proxy ended TLS); set Secure cookies; believe forwarded
/// headers only from the configured proxies; expose no development endpoint.
/// </summary>
public sealed class ProductionConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string TrustedProxy = "10.20.30.40";
    private const string Stranger = "192.0.2.44";

    private static readonly Dictionary<string, string> ApiSettings = new()
    {
        ["ConnectionStrings:teacherdb"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        ["ConnectionStrings:cache"] = "127.0.0.1:1",
        ["Jwt:SigningKey"] = TestEnvironment.NewSecretKey(),
        ["Bootstrap:AdminEmail"] = "admin@production.test",
        ["Bootstrap:AdminPassword"] = TestEnvironment.NewPassword(),
    };

    private static readonly Dictionary<string, string> WebSettings = new()
    {
        ["ConnectionStrings:sessions"] = "127.0.0.1:1",
        [KeyRingEncryption.ConfigurationKey] = TestEnvironment.NewSecretKey(),
        ["services:apiservice:http:0"] = "http://127.0.0.1:1",
    };

    [Theory]
    [InlineData("ConnectionStrings:teacherdb")]
    [InlineData("ConnectionStrings:cache")]
    [InlineData("Jwt:SigningKey")]
    public void The_API_refuses_to_start_without_a_setting_it_needs_and_names_it(string missing)
    {
        using var api = Production<TeacherTrainer.ApiService.ApiServiceAssembly>(ApiSettings, missing);

        var error = Assert.ThrowsAny<Exception>(() => api.Server);

        Assert.Contains(missing, Messages(error));
    }

    [Theory]
    [InlineData("ConnectionStrings:sessions")]
    [InlineData(KeyRingEncryption.ConfigurationKey)]
    [InlineData("services:apiservice:http:0")]
    public void The_web_refuses_to_start_without_a_setting_it_needs_and_names_it(string missing)
    {
        using var web = Production<TeacherTrainer.Web.Components.App>(WebSettings, missing);

        var error = Assert.ThrowsAny<Exception>(() => web.Server);

        Assert.Contains(missing, Messages(error));
    }

    [Fact]
    public async Task The_API_refuses_to_start_on_a_new_database_without_a_bootstrap_administrator()
    {
        var database = await TestEnvironment.CreateDatabaseAsync("prodboot");
        try
        {
            var settings = new Dictionary<string, string>(ApiSettings)
            {
                ["ConnectionStrings:teacherdb"] = database,
                ["ConnectionStrings:cache"] = await TestEnvironment.CreateRedisDatabaseAsync(),
                ["AI:Provider"] = "Embedded",
                ["AI:WarmUp"] = "false",
            };
            using var api = Production<TeacherTrainer.ApiService.ApiServiceAssembly>(settings, "Bootstrap:AdminEmail");

            var error = Assert.ThrowsAny<Exception>(() => api.Server);

            Assert.Contains("Bootstrap:AdminEmail", Messages(error));
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task The_API_in_Production_sends_HSTS_behind_a_trusted_proxy_believes_no_one_else_and_has_no_development_endpoints()
    {
        using var collector = new OtlpCollector();
        await using var api = ProductionApiFactory(collector.Endpoint);
        await api.InitializeAsync();
        using var client = api.CreateClient();

        // TLS ended by a trusted proxy: the request counts as HTTPS, so HSTS is sent.
        using var trusted = await SendAsync(client, "https://api.teachertrainer.example/api/status", TrustedProxy, forwardedFor: null);
        Assert.True(trusted.Headers.Contains("Strict-Transport-Security"), trusted.ToString());
        // The same claim from an address no one configured is ignored: plain HTTP, no HSTS.
        using var stranger = await SendAsync(client, "https://api.teachertrainer.example/api/status", Stranger, forwardedFor: null);
        Assert.False(stranger.Headers.Contains("Strict-Transport-Security"), stranger.ToString());

        // The client address a stranger forwards is not believed either: its sign-in failure counts against the stranger itself.
        var claimed = $"203.0.113.{Random.Shared.Next(1, 250)}";
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@tests.local", password = "wrong-password-123" }) };
        signIn.Headers.Add(TestPeer.Header, Stranger);
        signIn.Headers.Add("X-Forwarded-For", claimed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(signIn, Ct)).StatusCode);
        Assert.NotEmpty(api.FindSecurityEvents("SignInFailed", Stranger));
        Assert.Empty(api.FindSecurityEvents("SignInFailed", claimed));

        // Development endpoints do not exist, not even for an administrator.
        using var admin = await api.CreateClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/dev/reseed", null, Ct)).StatusCode);

        // Logs (the security log's events with them) go to the OpenTelemetry collector named by OTEL_EXPORTER_OTLP_ENDPOINT.
        Assert.True(await collector.ReceivedAsync("/v1/logs", TimeSpan.FromSeconds(30)), $"No logs reached the collector; it saw: {string.Join(", ", collector.Paths)}");
    }

    [Fact]
    public async Task The_web_in_Production_sends_HSTS_and_Secure_cookies_behind_a_trusted_proxy_and_believes_no_one_else()
    {
        var settings = new Dictionary<string, string>(WebSettings)
        {
            ["ConnectionStrings:sessions"] = await TestEnvironment.CreateSessionsDatabaseAsync(),
            ["ForwardedHeaders:KnownProxies:0"] = TrustedProxy,
        };
        using var web = Production<TeacherTrainer.Web.Components.App>(settings, missing: null);
        using var client = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var direct = await client.GetAsync("https://teachertrainer.example/account/sign-in", Ct);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.True(direct.Headers.Contains("Strict-Transport-Security"), direct.ToString());
        var cookies = direct.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // TLS ended by the trusted proxy: HTTPS as far as the web knows, so HSTS and Secure cookies work.
        using var proxied = await SendAsync(client, "http://teachertrainer.example/account/sign-in", TrustedProxy, forwardedFor: "198.51.100.7");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.True(proxied.Headers.Contains("Strict-Transport-Security"), proxied.ToString());
        Assert.All(proxied.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // The same headers from an address no one configured are ignored: the request stays plain HTTP.
        using var stranger = await SendAsync(client, "http://teachertrainer.example/health", Stranger, forwardedFor: "198.51.100.8");
        Assert.False(stranger.Headers.Contains("Strict-Transport-Security"), stranger.ToString());
    }

    /// <summary>A request from <paramref name="peer"/> claiming (X-Forwarded-Proto) that TLS was ended before it.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string peer, string? forwardedFor)
    {
        var uri = new Uri(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri.Scheme == "https" ? new Uri("http://" + uri.Authority + uri.PathAndQuery) : uri);
        request.Headers.Add(TestPeer.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request, Ct);
    }

    private static WebApplicationFactory<T> Production<T>(Dictionary<string, string> settings, string? missing) where T : class
        => new WebApplicationFactory<T>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(Environments.Production);
            foreach (var (key, value) in settings) builder.UseSetting(key, key == missing ? "" : value);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestPeer>());
        });

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }

    /// <summary>The API in Production on its own database and Redis database.</summary>
    private static ApiFactory ProductionApiFactory(string otlpEndpoint) => ApiFactory.Create(ApiOptions.Default with
    {
        Environment = Environments.Production,
        Settings = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["ForwardedHeaders:KnownProxies:0"] = TrustedProxy,
            ["AI:WarmUp"] = "false",
        },
        Services = services => services.AddSingleton<IStartupFilter, TestPeer>(),
    });
}

/// <summary>Lets a test choose the peer address of a request (the test server has none): the <c>X-Test-Peer</c> header.</summary>
internal sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use(nextMiddleware => context =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>A stand-in OpenTelemetry collector (OTLP over HTTP on loopback): records the paths it was sent data on and answers 200.</summary>
internal sealed class OtlpCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

    public OtlpCollector()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _ = Task.Run(ListenAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyCollection<string> Paths => _paths.Distinct().ToList();

    public async Task<bool> ReceivedAsync(string path, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (_paths.Contains(path)) return true;
            await Task.Delay(200);
        }
        return false;
    }

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _paths.Enqueue(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
