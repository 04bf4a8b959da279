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
/// The ApiService in-process against the real PostgreSQL (a fresh database for the test run) and
/// the real Redis (its own logical database), in embedded AI mode. Started once for the assembly.
/// Sign in as a role with <see cref="CreateClientAsync(string)"/>. Rate limits on sign-in are
/// lifted here (every test signs in); <see cref="LimitedApiFactory"/> keeps them.
/// </summary>
public class ApiFactory : WebApplicationFactory<TeacherTrainer.ApiService.ApiServiceAssembly>, IAsyncLifetime
{
    public const string AdminEmail = "admin@tests.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();

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

    public async ValueTask InitializeAsync()
    {
        await StartDependenciesAsync();
        DatabaseConnectionString = await CreateDatabaseAsync();
        RedisConnectionString = await CreateRedisDatabaseAsync();
        // Building the server runs migrations and seeding before the first request.
        StartServerForTests();
    }

    /// <summary>The database the API runs on: a new, empty one unless a derived factory brings its own (dropped at the end either way).</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestEnvironment.CreateDatabaseAsync("api");

    /// <summary>The output cache's Redis database: a new, leased one unless a derived factory brings its own.</summary>
    protected virtual Task<string> CreateRedisDatabaseAsync() => TestEnvironment.CreateRedisDatabaseAsync();

    /// <summary>The in-memory test server; <see cref="KestrelApiFactory"/> starts real Kestrel instead.</summary>
    protected virtual void StartServerForTests() => _ = Server;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(ServerErrors)
            // The security log's events, with their properties, for SecurityLogTests (only that category is kept).
            .AddFakeLogging(o => o.FilteredCategories.Add(TeacherTrainer.ApiService.Security.SecurityLog.Category)));
        builder.UseSetting("ConnectionStrings:teacherdb", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", RedisConnectionString);
        builder.UseSetting("AI:Provider", "Embedded");
        builder.UseSetting("Jwt:SigningKey", "test-signing-key-that-is-long-enough-for-hmac-sha256-0123456789");
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
        ConfigureSettings(builder);
    }

    /// <summary>What a derived factory must start before the API (for example an in-test model server).</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>Settings of a derived factory (applied after, so they win).</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder) { }

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
        if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
    }
}

/// <param name="Password">Empty for users made without one.</param>
public sealed record TestUser(Guid Id, string Email, string Password, string DisplayName, string Role);

/// <summary>
/// The API with its limits as in production, and short enough to test: sign-in 5 a minute per
/// client, access tokens living 5 seconds, reset links 2 seconds, the security stamp not cached. Its own database.
/// </summary>
public sealed class LimitedApiFactory : ApiFactory
{
    public const int SignInPermitLimit = 5;
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromSeconds(2);

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:PasswordResetLifetime", PasswordResetLifetime.ToString());
        builder.UseSetting("RateLimits:SignIn:PermitLimit", SignInPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:SignIn:Window", "00:05:00");
        builder.UseSetting("Jwt:AccessTokenLifetime", AccessTokenLifetime.ToString());
        builder.UseSetting("Jwt:ClockSkew", "00:00:00");
        builder.UseSetting("Jwt:StampCacheDuration", "00:00:00");
    }
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
/// The API on real Kestrel (a loopback port), for what only a real server shows: the answers
/// Kestrel gives itself, before any middleware, to requests it cannot parse. Its own database.
/// </summary>
public sealed class KestrelApiFactory : ApiFactory
{
    // Its tests are over in seconds: a model warm-up still loading (native code) when the host is
    // disposed brings the test process down.
    protected override void ConfigureSettings(IWebHostBuilder builder) => builder.UseSetting("AI:WarmUp", "false");

    protected override void StartServerForTests()
    {
        UseKestrel(0);
        StartServer();
    }

    /// <summary>Where Kestrel listens.</summary>
    public Uri Address => ClientOptions.BaseAddress;
}
