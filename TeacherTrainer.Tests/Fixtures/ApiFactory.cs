using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// What an in-process API differs in: data, not subclasses. <see cref="ApiFactory"/> reads it once.
/// </summary>
/// <param name="Settings">Configuration applied after the common test settings (so they win).</param>
/// <param name="UseKestrel">Real Kestrel on a loopback port instead of the in-memory test server.</param>
/// <param name="FakeOllama">AI:Provider=Ollama, both models served by an in-test <see cref="FakeOllamaServer"/>.</param>
/// <param name="Database">An existing database to run on (a restored one); null for a new, empty one. Dropped at the end either way.</param>
/// <param name="Environment">The host environment (Testing unless a test checks production behaviour).</param>
/// <param name="Services">Extra services (a startup filter a test needs); null for none.</param>
public sealed record ApiOptions(
    IReadOnlyDictionary<string, string>? Settings = null,
    bool UseKestrel = false,
    bool FakeOllama = false,
    string? Database = null,
    string Environment = "Testing",
    Action<IServiceCollection>? Services = null)
{
    /// <summary>Limits lifted (every test signs in), the in-memory server, embedded AI.</summary>
    public static ApiOptions Default { get; } = new();

    /// <summary>
    /// Limits as in production, and short enough to test: sign-in 5 a minute per client, access tokens
    /// living 5 seconds, reset links 2 seconds, the security stamp not cached.
    /// </summary>
    public static ApiOptions Limited { get; } = new(new Dictionary<string, string>
    {
        ["AI:WarmUp"] = "false",
        ["Identity:PasswordResetLifetime"] = LimitedApiFactory.PasswordResetLifetime.ToString(),
        ["RateLimits:SignIn:PermitLimit"] = LimitedApiFactory.SignInPermitLimit.ToString(CultureInfo.InvariantCulture),
        ["RateLimits:SignIn:Window"] = "00:05:00",
        ["Jwt:AccessTokenLifetime"] = LimitedApiFactory.AccessTokenLifetime.ToString(),
        ["Jwt:ClockSkew"] = "00:00:00",
        ["Jwt:StampCacheDuration"] = "00:00:00",
    });

    /// <summary>
    /// Real Kestrel. Its tests are over in seconds: a model warm-up still loading (native code) when the
    /// host is disposed brings the test process down, so there is none.
    /// </summary>
    public static ApiOptions Kestrel { get; } = new(NoWarmUp, UseKestrel: true);

    /// <summary>The in-test Ollama, with a persona timeout short enough to observe its fallback.</summary>
    public static ApiOptions Ollama { get; } = new(new Dictionary<string, string>
    {
        ["AI:WarmUp"] = "false",
        ["AI:PersonaTimeoutSeconds"] = OllamaApiFactory.PersonaTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ["RateLimits:Practice:PermitLimit"] = "100000",
    }, FakeOllama: true);

    /// <summary>
    /// Without the start-up warm-up (every scenario's models built at once, about 15 to 30 s of both cores here): for
    /// the fixtures whose tests touch a scenario or two, which build what they use on first use. The default
    /// fixture, whose tests use most scenarios, and the whole system keep it, so it still runs in the suite.
    /// </summary>
    public static ApiOptions WithoutWarmUp(ApiOptions options)
        => options with { Settings = new Dictionary<string, string>(options.Settings ?? new Dictionary<string, string>()) { ["AI:WarmUp"] = "false" } };

    private static Dictionary<string, string> NoWarmUp => new() { ["AI:WarmUp"] = "false" };
}

/// <summary>
/// The ApiService in-process against the real PostgreSQL (a fresh database for the test run) and
/// the real Redis (its own logical database), in embedded AI mode. Started once per collection.
/// Sign in as a role with <see cref="CreateClientAsync(string)"/>. Rate limits on sign-in are
/// lifted unless the <see cref="ApiOptions"/> say otherwise (<see cref="ApiOptions.Limited"/>).
/// </summary>
public class ApiFactory : WebApplicationFactory<TeacherTrainer.ApiService.ApiServiceAssembly>, IAsyncLifetime
{
    public const string AdminEmail = "admin@tests.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();

    // Per run, like the password: nothing signed elsewhere is accepted here.
    private readonly string _signingKey = TestEnvironment.NewSecretKey();

    // xunit wants one public constructor on a collection fixture: the options one is reached through Create.
    public ApiFactory() : this(ApiOptions.Default)
    {
    }

    protected ApiFactory(ApiOptions options) => Options = options;

    /// <summary>An API a test starts (and disposes) itself, shaped by <paramref name="options"/>.</summary>
    public static ApiFactory Create(ApiOptions options) => new(options);

    public ApiOptions Options { get; }

    public string DatabaseConnectionString { get; private set; } = "";

    /// <summary>Every event written to the security log (<c>TeacherTrainer.Security</c>) so far.</summary>
    public IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> SecurityEvents()
        => Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot();

    /// <summary>The server's latest error logs (the exceptions behind any 500).</summary>
    public ServerErrorLog ServerErrors { get; } = new();

    /// <summary>Security log events of this name whose message mentions <paramref name="text"/> (an id, an address).</summary>
    public IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> FindSecurityEvents(string eventName, string text)
        => SecurityEvents().Where(r => r.Id.Name == eventName && r.Message.Contains(text, StringComparison.Ordinal)).ToList();
    public string RedisConnectionString { get; private set; } = "";

    /// <summary>The in-test model server (<see cref="ApiOptions.FakeOllama"/>); null otherwise.</summary>
    public FakeOllamaServer Ollama { get; private set; } = null!;

    /// <summary>Where Kestrel listens (<see cref="ApiOptions.UseKestrel"/>).</summary>
    public Uri Address => ClientOptions.BaseAddress;

    public async ValueTask InitializeAsync()
    {
        if (Options.FakeOllama) Ollama = await FakeOllamaServer.StartAsync();
        DatabaseConnectionString = Options.Database ?? await TestEnvironment.CreateDatabaseAsync("api");
        RedisConnectionString = await TestEnvironment.CreateRedisDatabaseAsync();
        // Building the server runs migrations and seeding before the first request.
        if (Options.UseKestrel)
        {
            UseKestrel(0);
            StartServer();
        }
        else
        {
            _ = Server;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Options.Environment);
        builder.ConfigureLogging(logging => logging.AddProvider(ServerErrors)
            // The security log's events, with their properties, for SecurityLogTests (only that category is kept).
            .AddFakeLogging(o => o.FilteredCategories.Add(TeacherTrainer.ApiService.Security.SecurityLog.Category)));
        builder.UseSetting("ConnectionStrings:teacherdb", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", RedisConnectionString);
        builder.UseSetting("AI:Provider", "Embedded");
        builder.UseSetting("Jwt:SigningKey", _signingKey);
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("RateLimits:SignIn:PermitLimit", "1000000");
        // A peer address as the web front end has (the test server gives none), declared a known
        // proxy as the AppHost declares the web: tests choose the client's address with X-Forwarded-For.
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LoopbackPeer>());
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        // Short enough to wait out in a test.
        builder.UseSetting("SignInThrottle:SlowDownInterval", "00:00:02");
        builder.UseSetting("Jwt:RefreshGracePeriod", "00:00:03");
        if (Options.FakeOllama)
        {
            builder.UseSetting("AI:Provider", "Ollama");
            builder.UseSetting("ConnectionStrings:chat", $"Endpoint={Ollama.Endpoint};Model=llama3.2");
            builder.UseSetting("ConnectionStrings:embedding", $"Endpoint={Ollama.Endpoint};Model=all-minilm");
        }
        foreach (var (key, value) in Options.Settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        if (Options.Services is { } services) builder.ConfigureServices(services);
    }

    /// <summary>A new user with this role and a password (hashed for real, so about a quarter of a second).</summary>
    public async Task<TestUser> CreateUserAsync(string role, string? displayName = null)
    {
        var user = NewUser(displayName);
        var password = $"Tt-{Guid.NewGuid():N}";
        await using var scope = CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Ensure(await users.CreateAsync(user, password));
        Ensure(await users.AddToRoleAsync(user, role));
        return new TestUser(user.Id, user.Email!, password, user.DisplayName, role);
    }

    /// <summary>A new user with this role and no password (fast; sign in with <see cref="CreateClientForAsync"/>).</summary>
    public async Task<TestUser> CreateUserWithoutPasswordAsync(string role, string? displayName = null)
    {
        var user = NewUser(displayName);
        await using var scope = CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Ensure(await users.CreateAsync(user));
        Ensure(await users.AddToRoleAsync(user, role));
        return new TestUser(user.Id, user.Email!, "", user.DisplayName, role);
    }

    /// <summary>A client signed in (through POST /api/auth/token) as a new user with this role.</summary>
    public async Task<HttpClient> CreateClientAsync(string role) => await SignInAsync(await CreateUserAsync(role));

    /// <summary>A client signed in as this user through POST /api/auth/token.</summary>
    public async Task<HttpClient> SignInAsync(TestUser user)
    {
        var tokens = await SignInForTokensAsync(user.Email, user.Password);
        return CreateClientWithToken(tokens.AccessToken);
    }

    /// <summary>Signs in through the API and returns the tokens (fails the test if refused).</summary>
    public async Task<TokenResponse> SignInForTokensAsync(string email, string password)
    {
        using var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email, password });
        Assert.True(response.IsSuccessStatusCode, $"Sign-in as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    /// <summary>A client with a fresh token for this user, issued in-process (no password check: fast).</summary>
    public async Task<HttpClient> CreateClientForAsync(Guid userId) => CreateClientWithToken((await IssueTokensAsync(userId)).AccessToken);

    /// <summary>A client signed in as a new trainee (made without a password, so fast).</summary>
    public async Task<HttpClient> CreateTraineeClientAsync() => await CreateClientForAsync((await CreateUserWithoutPasswordAsync(Roles.Trainee)).Id);

    /// <summary>Tokens for this user issued by the service's own token service.</summary>
    public async Task<TokenResponse> IssueTokensAsync(Guid userId)
    {
        await using var scope = CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(userId.ToString())
            ?? throw new InvalidOperationException($"No user {userId}");
        return await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(user);
    }

    public HttpClient CreateClientWithToken(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static AppUser NewUser(string? displayName)
    {
        var id = Guid.CreateVersion7();
        return new AppUser
        {
            Id = id, UserName = $"u{id:N}@tests.local", Email = $"u{id:N}@tests.local",
            DisplayName = displayName ?? $"Test user {id.ToString("N")[^6..]}", CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>A scope for reading the database directly in assertions.</summary>
    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    public TeacherDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<TeacherDbContext>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Ollama is not null) await Ollama.DisposeAsync();
        if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
    }
}

/// <param name="Password">Empty for users made without one.</param>
public sealed record TestUser(Guid Id, string Email, string Password, string DisplayName, string Role);

/// <summary>The API of <see cref="ApiOptions.Limited"/>, and the limits its tests count against. Its own database.</summary>
public sealed class LimitedApiFactory() : ApiFactory(ApiOptions.Limited)
{
    public const int SignInPermitLimit = 5;
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromSeconds(2);
}

/// <summary>Gives every test-server request the loopback peer address a co-located front end would have.</summary>
internal sealed class LoopbackPeer : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use(nextMiddleware => context =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>
/// The API on real Kestrel (<see cref="ApiOptions.Kestrel"/>), for what only a real server shows: the answers
/// Kestrel gives itself, before any middleware, to requests it cannot parse. Its own database.
/// </summary>
public sealed class KestrelApiFactory() : ApiFactory(ApiOptions.Kestrel);
