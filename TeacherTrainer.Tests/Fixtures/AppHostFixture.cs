using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The whole system started by Aspire.Hosting.Testing in existing-services mode: the real
/// PostgreSQL (a fresh database) and Redis (its own logical database), embedded AI. Started once
/// for the test assembly; end-to-end and browser tests share it.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(120);

    public const string AdminEmail = "admin@e2e.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();

    public DistributedApplication App { get; private set; } = null!;
    public string DatabaseConnectionString { get; private set; } = "";
    public string RedisConnectionString { get; private set; } = "";
    /// <summary>The web's sign-in Redis (a logical database of the machine's sessions Redis).</summary>
    public string SessionsConnectionString { get; private set; } = "";
    public TimeSpan StartupTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        DatabaseConnectionString = await TestEnvironment.CreateDatabaseAsync("e2e");
        RedisConnectionString = await TestEnvironment.CreateRedisDatabaseAsync();
        SessionsConnectionString = await TestEnvironment.CreateSessionsDatabaseAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await SystemUnderTest.CreateBuilderAsync(
            new SystemServices(DatabaseConnectionString, RedisConnectionString, AdminEmail, AdminPassword, Sessions: SessionsConnectionString));
        // No retries: a one-off 500 or timeout must fail the test that met it, not pass unseen on a second try.
        // The timeout is generous because practice turns and imports can be slow on a busy 2-core CI machine.
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(client => client.Timeout = RequestTimeout));
        App = await SystemUnderTest.StartAsync(builder, StartTimeout, "apiservice", "webfrontend");
        StartupTime = started.Elapsed;
    }

    public HttpClient CreateApiClient() => App.CreateHttpClient("apiservice");

    /// <summary>An API client signed in as the bootstrap administrator (through POST /api/auth/token).</summary>
    public async Task<HttpClient> CreateSignedInApiClientAsync(CancellationToken cancellationToken = default)
    {
        var client = CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword }, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Sign-in as {AdminEmail} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient CreateWebClient() => App.CreateHttpClient("webfrontend");

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
    }
}
