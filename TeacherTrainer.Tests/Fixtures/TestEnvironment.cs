using Npgsql;
using StackExchange.Redis;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// Where the real services are: PostgreSQL with pgvector and Redis, started by
/// scripts/local-services.sh (which scripts/test.sh runs first). Connection strings come from the
/// environment (<c>ConnectionStrings__teacherdb</c>, <c>ConnectionStrings__cache</c>) or from the
/// <c>.local/services.env</c> file that script writes.
/// </summary>
public static class TestEnvironment
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> ServicesEnv = new(ReadServicesEnv);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PostgresConnectionString => Setting("ConnectionStrings__teacherdb");

    /// <summary>
    /// The human-rated evaluation data (uptake-dev, bridge, mrbench): copied into the test project
    /// (TestData/rated, with its licence notice) so a clone with nothing beside it runs every test.
    /// TT_EVAL_DATA points elsewhere (for example at a newer copy of the files).
    /// </summary>
    public static string EvaluationDataDirectory
    {
        get
        {
            string?[] candidates =
            [
                Environment.GetEnvironmentVariable("TT_EVAL_DATA"),
                Path.Combine(AppContext.BaseDirectory, "TestData", "rated"),
                Path.Combine(RepositoryRoot, "TeacherTrainer.Tests", "TestData", "rated"),
            ];
            return candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "uptake-dev.jsonl")))
                ?? throw new InvalidOperationException(
                    "The rated evaluation data (TeacherTrainer.Tests/TestData/rated) was not found: set TT_EVAL_DATA to its folder.");
        }
    }

    public static string RedisConnectionString => Setting("ConnectionStrings__cache");

    /// <summary>The second Redis, for the web's sign-ins and data-protection keys (never evicts).</summary>
    public static string SessionsConnectionString => Setting("ConnectionStrings__sessions");

    /// <summary>A connection string to a new, empty database (pgvector comes from template1).</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"tt_{purpose}_{Guid.NewGuid():N}"[..(purpose.Length + 20)];
        await using (var connection = new NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        // An autovacuum worker in the database can only be ended by a member of pg_signal_backend
        // (local-services.sh grants it); where the role lacks it, wait for the worker to finish.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 120)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// A Redis connection string on a logical database of its own, emptied first, so fixtures never see
    /// each other's keys. The number is handed out here, never written in a fixture: see <see cref="RedisDatabaseLeases"/>.
    /// </summary>
    public static Task<string> CreateRedisDatabaseAsync() => CreateDatabaseOnAsync(RedisConnectionString);

    /// <summary>Like <see cref="CreateRedisDatabaseAsync"/>, on the sessions Redis.</summary>
    public static Task<string> CreateSessionsDatabaseAsync() => CreateDatabaseOnAsync(SessionsConnectionString);

    /// <summary>Empties the Redis database a connection string names (one handed out by this class).</summary>
    public static async Task EmptyRedisDatabaseAsync(string connectionString)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");
        await redis.GetServers()[0].FlushDatabaseAsync(redis.GetDatabase().Database);
    }

    private static async Task<string> CreateDatabaseOnAsync(string server)
    {
        var database = await RedisDatabaseLeases.For(server).AcquireAsync();
        var connectionString = $"{server},defaultDatabase={database},allowAdmin=true";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        await redis.GetServers()[0].FlushDatabaseAsync(database);
        return connectionString;
    }

    /// <summary>
    /// A password made for this run (a fixture's bootstrap administrator): no fixture writes one down,
    /// so nothing outside the run can sign in to what it starts.
    /// </summary>
    public static string NewPassword() => $"run-{Guid.NewGuid():N}";

    /// <summary>A key made for this run (a token-signing or key-ring key; long enough for HMAC-SHA256), for the same reason.</summary>
    public static string NewSecretKey() => $"{Guid.NewGuid():N}{Guid.NewGuid():N}";

    private static string Setting(string name)
        => Environment.GetEnvironmentVariable(name)
           ?? (ServicesEnv.Value.TryGetValue(name, out var value) ? value : null)
           ?? throw new InvalidOperationException(
               $"{name} is not set and .local/services.env has no value: run scripts/local-services.sh first (scripts/test.sh does).");

    private static IReadOnlyDictionary<string, string> ReadServicesEnv()
    {
        var path = Path.Combine(RepositoryRoot, ".local", "services.env");
        if (!File.Exists(path)) return new Dictionary<string, string>();
        return File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeacherTrainer.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (TeacherTrainer.sln) above " + AppContext.BaseDirectory);
    }
}
