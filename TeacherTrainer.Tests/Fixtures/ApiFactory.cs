using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The ApiService in-process against the real PostgreSQL (a fresh database for the test run) and
/// the real Redis (its own logical database), in embedded AI mode. Started once for the assembly.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<TeacherTrainer.ApiService.ApiServiceAssembly>, IAsyncLifetime
{
    public const string AdminEmail = "admin@tests.local";
    public const string AdminPassword = "correct-horse-battery-staple-42";

    public string DatabaseConnectionString { get; private set; } = "";
    public string RedisConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        DatabaseConnectionString = await TestEnvironment.CreateDatabaseAsync("api");
        RedisConnectionString = await TestEnvironment.CreateRedisDatabaseAsync(database: 1);
        // Building the server runs migrations and seeding before the first request.
        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:teacherdb", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", RedisConnectionString);
        builder.UseSetting("AI:Provider", "Embedded");
        builder.UseSetting("Jwt:SigningKey", "test-signing-key-that-is-long-enough-for-hmac-sha256-0123456789");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
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
