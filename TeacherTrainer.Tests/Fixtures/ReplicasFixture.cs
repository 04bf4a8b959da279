using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The whole system with two replicas of the API and two of the web front end
/// (<c>Replicas:Api=2</c>, <c>Replicas:Web=2</c>), on a fresh database and a private Redis.
/// Security stamps are cached for 2 s (not 15) so revocation across replicas is quick to observe.
/// </summary>
public sealed class ReplicasFixture : IAsyncLifetime
{
    public const int Replicas = 2;
    public static readonly TimeSpan StampCache = TimeSpan.FromSeconds(2);

    /// <summary>Short, so a test can wait out the window in which a just-used refresh token is still honoured (two tabs).</summary>
    public static readonly TimeSpan RefreshGrace = TimeSpan.FromSeconds(2);
    public PrivateRedis Redis { get; } = new();
    public string DatabaseConnectionString { get; private set; } = "";
    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        DatabaseConnectionString = await TestEnvironment.CreateDatabaseAsync("replicas");
        await Redis.StartAsync();
        var builder = await SystemUnderTest.CreateBuilderAsync(
            new SystemServices(DatabaseConnectionString, Redis.ConnectionString, "admin@replicas.local", TestEnvironment.NewPassword()),
            $"--Replicas:Api={Replicas}",
            $"--Replicas:Web={Replicas}");
        SystemUnderTest.SetApiEnvironment(builder,
            ("Jwt__StampCacheDuration", StampCache.ToString()),
            ("Jwt__RefreshGracePeriod", RefreshGrace.ToString()),
            ("RateLimits__SignIn__PermitLimit", "1000000"));
        App = await SystemUnderTest.StartAsync(builder, TimeSpan.FromMinutes(3), "apiservice", "webfrontend");
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
                if (found.Count >= Replicas) break;
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
        await Redis.DisposeAsync();
        if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicasCollection : ICollectionFixture<ReplicasFixture>
{
    public const string Name = "replicas";
}
