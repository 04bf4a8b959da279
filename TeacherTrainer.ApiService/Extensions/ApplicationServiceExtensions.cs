using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
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
        builder.AddDatabase();
        builder.AddCaching();
        builder.AddAiServices();
        builder.AddApiSecurity();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });

        builder.Services.AddSingleton<ScenarioLibrary>();
        builder.Services.AddSingleton<ScenarioValidator>();
        builder.AddEvaluation();
        builder.AddPractice();
        builder.Services.AddScoped<ScenarioVersioning>();
        builder.Services.AddScoped<StatusService>();
        builder.Services.AddScoped<SessionAccess>();
        builder.Services.AddMigration<TeacherDbContext, TeacherDbSeeder>();
        builder.Services.AddSeeder<TeacherDbContext, IdentitySeeder>();
        return builder;
    }

    private static void AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EmbeddingCache>();
        builder.Services.AddSingleton<ReplyEncoder>();
        builder.Services.AddSingleton<RubricBasisCache>();
        builder.Services.AddSingleton<MoveCatalog>();
        builder.Services.AddSingleton<MoveClassifierProvider>();
        builder.Services.AddScoped<EvaluationEngine>();
        builder.Services.AddScoped<CollectionStore>();
    }

    private static void AddPractice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PersonaVoice>();
        builder.Services.AddSingleton<SkillMap>();
        builder.Services.AddScoped<PracticeService>();
        builder.Services.AddScoped<ProgressService>();
    }

    private static void AddDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("teacherdb")
            ?? throw new InvalidOperationException("ConnectionStrings:teacherdb is not set (an Npgsql connection string).");
        // Our own registration (rather than AddNpgsqlDbContext) so pgvector can be enabled on the
        // data source; Aspire then adds its health check, retries and telemetry.
        builder.Services.AddDbContextPool<TeacherDbContext>(options => options
            .UseNpgsql(connectionString, npgsql => npgsql.UseVector().MigrationsHistoryTable("__ef_migrations"))
            .UseSnakeCaseNamingConvention());
        builder.EnrichNpgsqlDbContext<TeacherDbContext>();
    }

    private static void AddCaching(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("cache");
        // Aspire.StackExchange.Redis.OutputCaching is not on the package mirror: the same wiring by
        // hand, sharing the one multiplexer AddRedisClient registered.
        builder.Services.AddStackExchangeRedisOutputCache(options => options.InstanceName = "teachertrainer:");
        builder.Services.AddOptions<RedisOutputCacheOptions>()
            .Configure<IServiceProvider>((options, sp) =>
                options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
        builder.Services.AddOutputCache(CachePolicies.AddPolicies);
    }
}
