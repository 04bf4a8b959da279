using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.ApiService.Status;

namespace TeacherTrainer.ApiService.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.RequireInProduction(
            ("ConnectionStrings:teacherdb", "the PostgreSQL (pgvector) database, an Npgsql connection string"),
            ("ConnectionStrings:cache", "the Redis of the output cache"),
            ("Jwt:SigningKey", "the secret that signs access tokens, at least 32 bytes"));
        builder.AddDatabase();
        builder.AddCaching();
        builder.AddAiServices();
        builder.AddIdentityServices();
        builder.AddApiSecurity();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // Text from trainees and the language model travels in JSON strings: escape the characters
            // HTML gives meaning to (< > & ' "), so no answer can carry live markup even if a client
            // were to paste it into a page. Every other character is written as itself.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });

        builder.Services.AddSingleton<ScenarioLibrary>();
        builder.Services.AddSingleton<ScenarioValidator>();
        builder.AddEvaluation();
        builder.AddPractice();
        builder.Services.AddScoped<ScenarioVersioning>();
        builder.Services.AddScoped<StatusService>();
        builder.Services.AddSingleton<StatusMonitor>();
        builder.Services.AddScoped<SessionAccess>();
        builder.Services.AddScoped<CohortInsight>();
        builder.Services.AddScoped<IUserCohorts, UserCohorts>();
        builder.Services.AddMigration<TeacherDbContext, TeacherDbSeeder>();
        builder.Services.AddSeeder<TeacherDbContext, IdentitySeeder>();
        return builder;
    }

    private static void AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEvaluationEngineParts();
        builder.Services.AddScoped<EvaluationEngine>();
        builder.Services.AddScoped<CollectionStore>();
        builder.Services.AddScoped<CollectionQuality>();
        builder.Services.AddSingleton<ScenarioContentCache>();
        builder.Services.AddHostedService<EvaluationWarmUp>();
    }

    private static void AddPractice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PersonaVoice>();
        builder.Services.AddSingleton<PersonaModelCache>();
        builder.Services.AddSingleton<SkillMap>();
        builder.Services.AddScoped<PracticeService>();
        builder.Services.AddScoped<ProgressService>();
    }

    private static void AddDatabase(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("teacherdb")
            ?? throw new InvalidOperationException("ConnectionStrings:teacherdb is not set (an Npgsql connection string).");
        // An unreachable server must not hold a request for Npgsql's default 15 s before it fails.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) connection.Timeout = 5;
        var connectionString = connection.ConnectionString;
        // Retries ride out a database restart or failover of a second or two; beyond that the
        // request fails with 503 and Retry-After (Security/TransientFailures) rather than hanging.
        var retries = builder.Configuration.GetValue("Database:MaxRetryCount", 3);
        var retryDelay = builder.Configuration.GetValue("Database:MaxRetryDelay", TimeSpan.FromSeconds(1));
        // Our own registration (rather than AddNpgsqlDbContext) so pgvector can be enabled on the
        // data source; Aspire then adds its health check and telemetry.
        builder.Services.AddDbContextPool<TeacherDbContext>(options => options
            .UseNpgsql(connectionString, npgsql => npgsql.UseVector().MigrationsHistoryTable("__ef_migrations")
                .EnableRetryOnFailure(retries, retryDelay, errorCodesToAdd: null))
            .UseSnakeCaseNamingConvention());
        builder.EnrichNpgsqlDbContext<TeacherDbContext>(settings => settings.DisableRetry = true);
    }

    private static void AddCaching(this IHostApplicationBuilder builder)
    {
        // Redis is an accelerator here, never a dependency of practice: fail fast while it is away
        // (no backlog of commands waiting on a dead connection), reconnect by itself when it returns.
        builder.AddRedisClient("cache",
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                options.AbortOnConnectFail = false;
                options.BacklogPolicy = BacklogPolicy.FailFast;
                options.ConnectTimeout = 2000;
                options.AsyncTimeout = 2000;
                options.SyncTimeout = 2000;
            });
        // Its health is reported as degraded, not unhealthy: an instance without its cache still serves.
        builder.Services.AddHealthChecks().AddCheck<CacheHealthCheck>("cache", HealthStatus.Degraded, ["ready"]);
        // Aspire.StackExchange.Redis.OutputCaching is not on the package mirror: the same wiring by
        // hand, sharing the one multiplexer AddRedisClient registered.
        builder.Services.AddStackExchangeRedisOutputCache(options => options.InstanceName = "teachertrainer:");
        builder.Services.AddOptions<RedisOutputCacheOptions>()
            .Configure<IServiceProvider>((options, sp) =>
                options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
        DecorateOutputCacheStore(builder.Services);
        builder.Services.AddOutputCache(CachePolicies.AddPolicies);
    }

    /// <summary>Wraps the Redis output-cache store so that a Redis outage is a cache miss, not an error.</summary>
    private static void DecorateOutputCacheStore(IServiceCollection services)
    {
        var redisStore = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(redisStore);
        services.AddSingleton<IOutputCacheStore>(sp => new ResilientOutputCacheStore(
            redisStore.ImplementationFactory?.Invoke(sp) as IOutputCacheStore
                ?? redisStore.ImplementationInstance as IOutputCacheStore
                ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(sp, redisStore.ImplementationType!),
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>()));
    }
}

/// <summary>Redis reachable: a PING answered.</summary>
internal sealed class CacheHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected) return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected; the output cache is bypassed.");
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer; the output cache is bypassed.", ex);
        }
    }
}
