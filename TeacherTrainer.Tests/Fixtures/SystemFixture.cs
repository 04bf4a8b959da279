using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// What a whole-system fixture differs in: data, not subclasses. <see cref="SystemFixture"/> reads it once.
/// Each preset is a system started once for its collection; two presets are two runs because their
/// tests assume different settings (replicas, a streaming model, services they may break).
/// </summary>
/// <param name="Purpose">Names the database and the bootstrap administrator (admin@{purpose}.local).</param>
/// <param name="AdminPassword">The bootstrap administrator's password (made per run by <see cref="TestEnvironment"/>).</param>
/// <param name="FakeOllama">An in-test Ollama serving both models; embedded AI otherwise.</param>
/// <param name="OllamaReply">What the fake model always says (null: its default), and <paramref name="OllamaTokenDelay"/> between words.</param>
/// <param name="Replicas">Replicas of the API and of the web front end.</param>
/// <param name="PrivateServices">A private PostgreSQL cluster and redis-server the tests may break (skipped where they cannot run).</param>
/// <param name="PrivateRedis">A private redis-server for the output cache (on the shared PostgreSQL).</param>
/// <param name="ApiSettings">Environment variables for the API (settings the AppHost does not pass on).</param>
/// <param name="Healthy">The resources waited for until healthy before the tests run.</param>
/// <param name="RequestTimeout">Timeout of the clients the app hands out (no retries either way); null for Aspire's defaults.</param>
public sealed record SystemOptions(
    string Purpose,
    string AdminPassword,
    bool FakeOllama = false,
    string? OllamaReply = null,
    TimeSpan OllamaTokenDelay = default,
    int Replicas = 1,
    bool PrivateServices = false,
    bool PrivateRedis = false,
    IReadOnlyDictionary<string, string>? ApiSettings = null,
    string[]? Healthy = null,
    TimeSpan? RequestTimeout = null)
{
    public string AdminEmail => $"admin@{Purpose}.local";

    public static TimeSpan StartTimeout { get; } = TimeSpan.FromMinutes(4);

    /// <summary>
    /// The shared system for end-to-end and browser tests: the real PostgreSQL and Redis, embedded AI.
    /// Its clients time out late (practice turns and imports can be slow on a busy 2-core CI machine) and never retry.
    /// </summary>
    public static SystemOptions AppHost { get; } = new("e2e", AppHostFixture.AdminPassword, RequestTimeout: TimeSpan.FromSeconds(120));

    /// <summary>An Ollama that "already runs" and streams its persona reply a word at a time.</summary>
    public static SystemOptions Streaming { get; } = new("stream", TestEnvironment.NewPassword(),
        FakeOllama: true, OllamaReply: Browser.StreamingSystemFixture.PersonaReply, OllamaTokenDelay: TimeSpan.FromMilliseconds(150),
        ApiSettings: NoWarmUp);

    /// <summary>
    /// Services the fault tests own and may break, an in-test Ollama, a short persona timeout, and the
    /// per-user limits lifted (a load run sends far more than a person). Only the API is waited for.
    /// </summary>
    public static SystemOptions Faults { get; } = new("faults", FaultsFixture.AdminPassword, FakeOllama: true, PrivateServices: true,
        ApiSettings: new Dictionary<string, string>
        {
            ["AI__PersonaTimeoutSeconds"] = FaultsFixture.PersonaTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__Practice__PermitLimit"] = "1000000",
            ["RateLimits__SignIn__PermitLimit"] = "1000000",
        },
        Healthy: ["apiservice"]);

    /// <summary>Two replicas of the API and of the web, a private Redis, security stamps and the refresh grace short.</summary>
    public static SystemOptions Replicated { get; } = new("replicas", TestEnvironment.NewPassword(), Replicas: ReplicasFixture.Replicas, PrivateRedis: true,
        ApiSettings: new Dictionary<string, string>
        {
            ["AI__WarmUp"] = "false",
            ["Jwt__StampCacheDuration"] = ReplicasFixture.StampCache.ToString(),
            ["Jwt__RefreshGracePeriod"] = ReplicasFixture.RefreshGrace.ToString(),
            ["RateLimits__SignIn__PermitLimit"] = "1000000",
        });

    /// <summary>No start-up warm-up (see ApiOptions.WithoutWarmUp): these systems' tests use a scenario or two.</summary>
    private static Dictionary<string, string> NoWarmUp => new() { ["AI__WarmUp"] = "false" };
}

/// <summary>
/// The whole system started by the real AppHost through Aspire.Hosting.Testing in existing-services mode,
/// against the databases, Redis databases and credentials <see cref="TestEnvironment"/> hands out (or private
/// services), shaped by <see cref="SystemOptions"/>. One class for every whole-system collection.
/// </summary>
public class SystemFixture(SystemOptions options) : IAsyncLifetime
{
    public SystemOptions Options { get; } = options;

    public DistributedApplication App { get; private set; } = null!;
    public string DatabaseConnectionString { get; private set; } = "";

    /// <summary>The output cache's Redis (a leased logical database, or the private redis-server).</summary>
    public string RedisConnectionString { get; private set; } = "";

    /// <summary>The web's sign-in Redis (a logical database of the machine's sessions Redis).</summary>
    public string SessionsConnectionString { get; private set; } = "";
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The private PostgreSQL (<see cref="SystemOptions.PrivateServices"/>); null otherwise.</summary>
    public PrivatePostgres Postgres { get; } = options.PrivateServices ? new() : null!;

    /// <summary>The private redis-server (<see cref="SystemOptions.PrivateServices"/> or <see cref="SystemOptions.PrivateRedis"/>); null otherwise.</summary>
    public PrivateRedis Redis { get; } = options.PrivateServices || options.PrivateRedis ? new() : null!;

    /// <summary>The in-test model server (<see cref="SystemOptions.FakeOllama"/>); null otherwise.</summary>
    public FakeOllamaServer Ollama { get; private set; } = null!;

    /// <summary>Why the tests cannot run here (they are skipped); null when they can.</summary>
    public string? Unavailable { get; } = options.PrivateServices ? PrivatePostgres.Unavailable() : null;

    /// <summary>The API's latest log lines (for the message of a failed assertion).</summary>
    public ConcurrentQueue<string> ApiLog { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (Unavailable is not null) return;
        if (Options.PrivateServices)
        {
            await Postgres.StartAsync();
            DatabaseConnectionString = Postgres.ConnectionString;
        }
        else
        {
            DatabaseConnectionString = await TestEnvironment.CreateDatabaseAsync(Options.Purpose);
        }
        if (Redis is not null)
        {
            await Redis.StartAsync();
            RedisConnectionString = Redis.ConnectionString;
        }
        else
        {
            RedisConnectionString = await TestEnvironment.CreateRedisDatabaseAsync();
        }
        SessionsConnectionString = await TestEnvironment.CreateSessionsDatabaseAsync();
        if (Options.FakeOllama)
        {
            Ollama = await FakeOllamaServer.StartAsync();
            if (Options.OllamaReply is { } reply) Ollama.ChatReply = _ => reply;
            Ollama.TokenDelay = Options.OllamaTokenDelay;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await CreateBuilderAsync();
        if (Options.RequestTimeout is { } timeout)
        {
            builder.Services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(client => client.Timeout = timeout));
        }
        var api = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "apiservice"));
        foreach (var (name, value) in Options.ApiSettings ?? new Dictionary<string, string>()) api.WithEnvironment(name, value);

        App = await builder.BuildAsync();
        using var cancellation = new CancellationTokenSource(SystemOptions.StartTimeout);
        await App.StartAsync(cancellation.Token);
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var resource in Options.Healthy ?? ["apiservice", "webfrontend"]) await notifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        StartupTime = started.Elapsed;
        WatchApiLog();
    }

    private async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        string[] arguments =
        [
            "--Infrastructure:Mode=Existing",
            $"--ConnectionStrings:teacherdb={DatabaseConnectionString}",
            $"--ConnectionStrings:cache={RedisConnectionString}",
            $"--ConnectionStrings:sessions={SessionsConnectionString}",
            // A fresh key-ring key per run, like the signing key below.
            $"--Parameters:data-protection-key={TestEnvironment.NewSecretKey()}",
            // A fresh signing key per run: nothing signed by one suite is accepted by another.
            $"--Parameters:jwt-signing-key={TestEnvironment.NewSecretKey()}",
            $"--Parameters:admin-email={Options.AdminEmail}",
            $"--Parameters:admin-password={Options.AdminPassword}",
            .. Options.FakeOllama ?
            [
                $"--ConnectionStrings:chat=Endpoint={Ollama.Endpoint};Model=llama3.2",
                $"--ConnectionStrings:embedding=Endpoint={Ollama.Endpoint};Model=all-minilm",
            ] : Array.Empty<string>(),
            .. Options.Replicas > 1 ? [$"--Replicas:Api={Options.Replicas}", $"--Replicas:Web={Options.Replicas}"] : Array.Empty<string>(),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(arguments);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));
        return builder;
    }

    private void WatchApiLog()
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync("apiservice"))
                {
                    foreach (var line in batch)
                    {
                        ApiLog.Enqueue(line.Content);
                        while (ApiLog.Count > 300) ApiLog.TryDequeue(out _);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public string RecentApiErrors(int count = 30)
        => string.Join("\n", ApiLog.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("xception", StringComparison.Ordinal)
            || l.Contains("rror", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(count));

    public HttpClient CreateApiClient() => App.CreateHttpClient("apiservice");

    public HttpClient CreateWebClient() => App.CreateHttpClient("webfrontend");

    /// <summary>A client straight to the API, with no retries or resilience of its own: what is measured is what the API answered.</summary>
    public HttpClient CreateRawApiClient(TimeSpan timeout)
        => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = App.GetEndpoint("apiservice", "http"),
            Timeout = timeout,
        };

    /// <summary>An API client signed in as the bootstrap administrator (through POST /api/auth/token).</summary>
    public async Task<HttpClient> CreateSignedInApiClientAsync(CancellationToken cancellationToken = default)
    {
        var client = CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(Options.AdminEmail, Options.AdminPassword), cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Sign-in as {Options.AdminEmail} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var tokens = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens!.AccessToken);
        return client;
    }

    /// <summary>The address of each running replica of a project (its own port, not the shared proxy).</summary>
    public async Task<List<Uri>> ReplicaAddressesAsync(string resource, CancellationToken cancellationToken)
    {
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        var found = new Dictionary<string, Uri>(StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        // Each replica is an instance of the resource with its own id and its own (unproxied) URL.
        var seen = new List<string>();
        try
        {
            await foreach (var change in notifications.WatchAsync(timeout.Token))
            {
                if (change.Resource.Name != resource) continue;
                seen.Add($"{change.ResourceId} {change.Snapshot.State?.Text} {string.Join(' ', change.Snapshot.EnvironmentVariables.Where(e => e.Name.Contains("URL") || e.Name.Contains("PORT")).Select(e => e.Name + "=" + e.Value))}");
                // The snapshot's URLs are the shared proxy's; each replica's own address is in its environment.
                var url = change.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value?
                    .Split(';').FirstOrDefault(u => u.StartsWith("http:", StringComparison.Ordinal));
                if (url is not null && change.Snapshot.State?.Text == KnownResourceStates.Running) found[change.ResourceId] = new Uri(url);
                if (found.Count >= Options.Replicas) break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Replicas of {resource} not found; saw: {string.Join(" | ", seen.TakeLast(8))}");
        }
        var addresses = found.Values.ToList();
        // "Running" means the process started, not that it listens yet (the shared endpoint's health
        // check is satisfied by the first replica up): wait until each replica answers on its own.
        foreach (var address in addresses) await WaitUntilServingAsync(address, cancellationToken);
        return addresses;
    }

    private static async Task WaitUntilServingAsync(Uri address, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"The replica at {address} did not answer /health within 2 minutes.");
            await Task.Delay(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Ollama is not null) await Ollama.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
        else if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
        GC.SuppressFinalize(this);
    }
}
