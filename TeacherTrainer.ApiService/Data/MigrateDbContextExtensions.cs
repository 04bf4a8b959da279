using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace TeacherTrainer.ApiService.Data;

/// <summary>Seeds a database after its migrations have been applied.</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}

public static class MigrateDbContextExtensions
{
    private static readonly ActivitySource ActivitySource = new("TeacherTrainer.Migrations");

    /// <summary>
    /// Applies migrations, then runs the seeders (each feature adds its own with AddSeeder), in a hosted
    /// service that starts before the server listens: the API never answers from a schema that is not there yet.
    /// </summary>
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services)
        where TContext : DbContext
        => services.AddHostedService<MigrationHostedService<TContext>>();

    /// <summary>Adds a seeding step; steps run after the migration, in the order they were added.</summary>
    public static IServiceCollection AddSeeder<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext>
        => services.AddScoped<IDbSeeder<TContext>, TSeeder>();

    private sealed class MigrationHostedService<TContext>(IServiceProvider services, ILogger<MigrationHostedService<TContext>> logger)
        : IHostedService where TContext : DbContext
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var activity = ActivitySource.StartActivity($"Migrating {typeof(TContext).Name}");
            var started = Stopwatch.GetTimestamp();
            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            logger.LogInformation("Applying {Count} pending migration(s) to {Database}", pending.Count, typeof(TContext).Name);
            var strategy = context.Database.CreateExecutionStrategy();
            // Replicas start together: one migrates and seeds while the others wait their turn on a
            // PostgreSQL advisory lock (then find nothing left to do), instead of racing to create
            // the same tables and rows.
            await using var gate = await MigrationLock.AcquireAsync(context, cancellationToken);
            await strategy.ExecuteAsync(() => context.Database.MigrateAsync(cancellationToken));
            // Types created by the migration (the vector extension's) must be known to the open connections.
            if (pending.Count > 0 && context.Database.GetDbConnection() is Npgsql.NpgsqlConnection connection)
            {
                await connection.OpenAsync(cancellationToken);
                await connection.ReloadTypesAsync(cancellationToken);
                await connection.CloseAsync();
            }
            foreach (var seeder in scope.ServiceProvider.GetServices<IDbSeeder<TContext>>())
            {
                await strategy.ExecuteAsync(() => seeder.SeedAsync(context, cancellationToken));
            }
            logger.LogInformation("Database ready in {Elapsed:F1} s", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A session-level advisory lock on its own connection, held until disposed.</summary>
    private sealed class MigrationLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        private const long Key = 0x5445_4143_4845_5231; // "TEACHER1"

        public static async Task<MigrationLock> AcquireAsync(DbContext context, CancellationToken cancellationToken)
        {
            // A clone keeps the password (the context's connection string no longer shows it once opened).
            var connection = (Npgsql.NpgsqlConnection)((ICloneable)context.Database.GetDbConnection()).Clone();
            await connection.OpenAsync(cancellationToken);
            await using var command = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({Key})", connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new MigrationLock(connection);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({Key})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
