using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The whole system under the AppHost (existing-services mode) against services the fault tests own
/// and may break: a private PostgreSQL cluster, a private redis-server, and an in-test Ollama
/// (chat and embeddings). Nothing the rest of the suite shares is stopped.
/// </summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    public const double PersonaTimeoutSeconds = 2;
    public const string AdminEmail = "admin@faults.local";
    public static readonly string AdminPassword = TestEnvironment.NewPassword();

    public PrivatePostgres Postgres { get; } = new();
    public PrivateRedis Redis { get; } = new();
    public FakeOllamaServer Ollama { get; private set; } = null!;
    public DistributedApplication App { get; private set; } = null!;
    /// <summary>Why the fault tests cannot run here (they are skipped); null when they can.</summary>
    public string? Unavailable { get; } = PrivatePostgres.Unavailable();

    public async ValueTask InitializeAsync()
    {
        if (Unavailable is not null) return;
        await Postgres.StartAsync();
        await Redis.StartAsync();
        Ollama = await FakeOllamaServer.StartAsync();
        var builder = await SystemUnderTest.CreateBuilderAsync(
            new SystemServices(Postgres.ConnectionString, Redis.ConnectionString, AdminEmail, AdminPassword, Ollama.Endpoint));
        SystemUnderTest.SetApiEnvironment(builder,
            ("AI__PersonaTimeoutSeconds", PersonaTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // A load run sends far more than a person: the per-user limits are lifted here.
            ("RateLimits__Practice__PermitLimit", "1000000"),
            ("RateLimits__SignIn__PermitLimit", "1000000"));
        App = await SystemUnderTest.StartAsync(builder, TimeSpan.FromMinutes(4), "apiservice");
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

    /// <summary>The API's latest log lines (for the message of a failed assertion).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ApiLog { get; } = new();

    public string RecentApiErrors(int count = 30)
        => string.Join("\n", ApiLog.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("xception", StringComparison.Ordinal)
            || l.Contains("rror", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(count));

    /// <summary>A client straight to the API, with no retries or resilience of its own: what is measured is what the API answered.</summary>
    public HttpClient CreateRawApiClient(TimeSpan timeout)
        => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = App.GetEndpoint("apiservice", "http"),
            Timeout = timeout,
        };

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Ollama is not null) await Ollama.DisposeAsync();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "faults";
}
