using Microsoft.Extensions.Configuration;

namespace TeacherTrainer.AppHost.Extensions;

public static class InfrastructureExtensions
{
    public const string ModeKey = "Infrastructure:Mode";
    public const string DatabaseName = "teacherdb";
    public const string CacheName = "cache";
    public const string SessionsName = "sessions";

    /// <summary>How much memory the output cache may take before it evicts (Redis <c>maxmemory</c>).</summary>
    public const string CacheMaxMemoryKey = "Cache:MaxMemory";
    public const string ChatModelName = "chat";
    public const string EmbeddingModelName = "embedding";

    /// <summary>
    /// Adds PostgreSQL, Redis and (in containers mode) Ollama. The mode comes from
    /// <c>Infrastructure:Mode</c> (<c>Containers</c> or <c>Existing</c>); when unset it is
    /// <c>Existing</c> if <c>ConnectionStrings:teacherdb</c> is given, else <c>Containers</c>.
    /// </summary>
    public static TeacherTrainerInfrastructure AddTeacherTrainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = ResolveMode(builder.Configuration);
        return mode == InfrastructureMode.Containers
            ? builder.AddContainerInfrastructure()
            : builder.AddExistingInfrastructure();
    }

    public static InfrastructureMode ResolveMode(IConfiguration configuration)
    {
        var configured = configuration[ModeKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseName))
                ? InfrastructureMode.Containers
                : InfrastructureMode.Existing;
        }
        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode)
            ? mode
            : throw new InvalidOperationException(
                $"{ModeKey} must be 'Containers' or 'Existing', not '{configured}'.");
    }

    private static TeacherTrainerInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var postgresPassword = builder.AddParameter("postgres-password", secret: true);
        var database = builder.AddPostgres("postgres", password: postgresPassword)
            .WithImage("pgvector/pgvector", "pg17")
            .WithDataVolume("teachertrainer-postgres")
            .AddDatabase(DatabaseName);

        var cache = builder.AddRedis(CacheName)
            .WithServerArgs("--maxmemory", builder.Configuration[CacheMaxMemoryKey] ?? "256mb", "--maxmemory-policy", "allkeys-lru");
        // Sign-ins outlive a restart (append-only file on a volume) and are never evicted: when this
        // Redis is full, writes fail (a new sign-in is refused) rather than existing sign-ins vanishing.
        var sessions = builder.AddRedis(SessionsName)
            .WithDataVolume("teachertrainer-sessions")
            .WithServerArgs("--maxmemory-policy", "noeviction", "--appendonly", "yes");

        var ollama = builder.AddOllama("ollama")
            .WithDataVolume("teachertrainer-ollama")
            .WithNvidiaGpu();
        var chat = ollama.AddModel(ChatModelName, builder.Configuration["Ollama:ChatModel"] ?? "llama3.2");
        var embedding = ollama.AddModel(EmbeddingModelName, builder.Configuration["Ollama:EmbeddingModel"] ?? "all-minilm");

        return new TeacherTrainerInfrastructure(InfrastructureMode.Containers,
            AsConnectionString(database), AsConnectionString(cache), AsConnectionString(sessions), AsConnectionString(chat), AsConnectionString(embedding));
    }

    private static TeacherTrainerInfrastructure AddExistingInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var database = builder.AddConnectionString(DatabaseName);
        var cache = builder.AddConnectionString(CacheName);
        // Refused clearly rather than falling back to the cache's Redis: sharing it is the very thing
        // that let filling the cache sign everyone out.
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(SessionsName)))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{SessionsName} is not set: the web's sign-ins need a Redis of their own, with maxmemory-policy noeviction " +
                "(scripts/local-services.sh starts one and writes it to .local/services.env).");
        }
        var sessions = builder.AddConnectionString(SessionsName);
        // An Ollama that already runs elsewhere is used when both model connection strings are
        // given; otherwise the API embeds all-MiniLM-L6-v2 itself and the persona uses its reply bank.
        var hasOllama = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ChatModelName))
            && !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(EmbeddingModelName));
        var chat = hasOllama ? builder.AddConnectionString(ChatModelName) : null;
        var embedding = hasOllama ? builder.AddConnectionString(EmbeddingModelName) : null;
        return new TeacherTrainerInfrastructure(InfrastructureMode.Existing,
            AsConnectionString(database), AsConnectionString(cache), AsConnectionString(sessions),
            chat is null ? null : AsConnectionString(chat), embedding is null ? null : AsConnectionString(embedding));
    }

    /// <summary>
    /// Arguments for redis-server itself. For the manifest (publish), Aspire writes Redis as
    /// <c>/bin/sh -c "redis-server --requirepass $REDIS_PASSWORD ..."</c> before later callbacks run;
    /// arguments added with <c>WithArgs</c> would follow that command, where the shell takes them as
    /// its positional parameters and redis-server never sees them (a deployment's cache would be
    /// unbounded, its sign-in store evicting and not persisted). They go into the command there; run
    /// locally, the arguments are still separate, and are added as such.
    /// </summary>
    public static IResourceBuilder<RedisResource> WithServerArgs(this IResourceBuilder<RedisResource> redis, params string[] args)
        => redis.WithArgs(context =>
        {
            for (var i = 0; i < context.Args.Count; i++)
            {
                if (context.Args[i] is string command && command.StartsWith("redis-server ", StringComparison.Ordinal))
                {
                    context.Args[i] = $"{command} {string.Join(' ', args)}";
                    return;
                }
            }
            foreach (var arg in args) context.Args.Add(arg);
        });

    /// <summary>References every backing service, waits for each, and tells the API which AI provider to use.</summary>
    public static IResourceBuilder<ProjectResource> WithInfrastructure(
        this IResourceBuilder<ProjectResource> project, TeacherTrainerInfrastructure infrastructure)
    {
        project.WithReference(infrastructure.Database).WaitFor(infrastructure.Database)
            .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
            .WithEnvironment("AI__Provider", infrastructure.AiProvider);
        foreach (var model in new[] { infrastructure.ChatModel, infrastructure.EmbeddingModel })
        {
            if (model is not null) project.WithReference(model).WaitFor(model);
        }
        return project;
    }

    /// <summary>
    /// Secrets as Aspire parameters: the token signing key and the first administrator. Generated
    /// and kept in the AppHost's user secrets on first run unless given (Parameters:* configuration).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSecurityParameters(
        this IResourceBuilder<ProjectResource> project, TeacherTrainerInfrastructure infrastructure)
    {
        var builder = project.ApplicationBuilder;
        var signingKey = builder.AddParameter("jwt-signing-key",
            new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
        // A value given to AddParameter is fixed: read Parameters:admin-email so it can be chosen.
        var adminEmail = builder.AddParameter("admin-email",
            builder.Configuration["Parameters:admin-email"] ?? "admin@teachertrainer.local", publishValueAsDefault: false);
        var adminPassword = builder.AddParameter("admin-password",
            new GenerateParameterDefault { MinLength = 20 }, secret: true, persist: true);
        return project
            .WithEnvironment("Jwt__SigningKey", signingKey)
            .WithEnvironment("Bootstrap__AdminEmail", adminEmail)
            .WithEnvironment("Bootstrap__AdminPassword", adminPassword);
    }

    /// <summary>
    /// The web's sign-in store (the <c>sessions</c> Redis) and the key that encrypts its
    /// data-protection key ring there, a secret parameter generated on first run like the token
    /// signing key: reading that Redis then yields neither usable keys nor readable tickets.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSignInStore(
        this IResourceBuilder<ProjectResource> web, TeacherTrainerInfrastructure infrastructure)
    {
        var keyRingKey = web.ApplicationBuilder.AddParameter("data-protection-key",
            new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
        return web
            .WithReference(infrastructure.Sessions).WaitFor(infrastructure.Sessions)
            .WithEnvironment("DataProtection__KeyEncryptionKey", keyRingKey);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AsConnectionString<T>(IResourceBuilder<T> resource)
        where T : IResourceWithConnectionString
        => (IResourceBuilder<IResourceWithConnectionString>)resource;
}
