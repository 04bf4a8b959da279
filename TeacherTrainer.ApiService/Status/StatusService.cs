using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Pgvector;
using StackExchange.Redis;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Status;

/// <summary>
/// Checks each layer with a real round trip, never from configuration alone. Called through
/// <see cref="StatusMonitor"/>, which keeps the report for a few seconds.
/// </summary>
public sealed class StatusService(
    TeacherDbContext db,
    IConnectionMultiplexer redis,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    AiStatus ai,
    IServiceProvider services,
    TimeProvider time,
    ILogger<StatusService> logger)
{
    private const string ProbeSentence = "A student is upset after losing a game at break time.";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    public async Task<StatusReport> CheckAsync(CancellationToken cancellationToken)
    {
        var layers = new List<LayerStatus>
        {
            await CheckAsync("database", CheckDatabaseAsync, cancellationToken),
        };
        var (embeddingLayer, probe) = await CheckEmbeddingAsync(cancellationToken);
        layers.Add(embeddingLayer);
        layers.Add(await CheckAsync("vector-search", ct => CheckVectorSearchAsync(probe, ct), cancellationToken));
        layers.Add(await CheckAsync("cache", CheckCacheAsync, cancellationToken));
        layers.Add(await CheckAsync("chat-model", CheckChatAsync, cancellationToken));
        var overall = layers.Any(l => l.Status == StatusLevel.Unhealthy) ? StatusLevel.Unhealthy
            : layers.Any(l => l.Status == StatusLevel.Degraded) ? StatusLevel.Degraded : StatusLevel.Healthy;
        return new StatusReport(overall, time.GetUtcNow(), layers);
    }

    private async Task<LayerStatus> CheckAsync(string name, Func<CancellationToken, Task<(StatusLevel Status, string Detail, Dictionary<string, string> Facts)>> check, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var (status, detail, facts) = await check(timeout.Token);
            return new LayerStatus(name, status, detail, Elapsed(started), facts);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Status check {Layer} failed", name);
            return new LayerStatus(name, StatusLevel.Unhealthy, FailureReason(ex), Elapsed(started), new Dictionary<string, string>());
        }
    }

    private async Task<(StatusLevel, string, Dictionary<string, string>)> CheckDatabaseAsync(CancellationToken ct)
    {
        var version = await db.Database.SqlQuery<string>($"select current_setting('server_version') as \"Value\"").SingleAsync(ct);
        var vector = await db.Database.SqlQuery<string>($"select extversion as \"Value\" from pg_extension where extname = 'vector'").SingleOrDefaultAsync(ct);
        var migrations = (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
        return vector is null
            ? (StatusLevel.Unhealthy, "the vector extension is not installed", new() { ["postgres"] = version })
            : (StatusLevel.Healthy, $"PostgreSQL {version}, pgvector {vector}", new() { ["postgres"] = version, ["pgvector"] = vector, ["migrations"] = migrations.ToString() });
    }

    private async Task<(LayerStatus Layer, Vector? Probe)> CheckEmbeddingAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var metadata = embeddings.GetService<EmbeddingGeneratorMetadata>();
        var facts = new Dictionary<string, string>
        {
            ["provider"] = ai.Provider.ToString(),
            ["model"] = metadata?.DefaultModelId ?? "unknown",
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CheckTimeout);
            var vector = await embeddings.GenerateVectorAsync(ProbeSentence, cancellationToken: timeout.Token);
            facts["dimensions"] = vector.Length.ToString();
            var status = vector.Length == EmbeddedMiniLmGenerator.Dimensions ? StatusLevel.Healthy : StatusLevel.Unhealthy;
            var detail = status == StatusLevel.Healthy
                ? $"{facts["model"]} ({ai.Provider}) returned a {vector.Length}-dimension vector"
                : $"expected {EmbeddedMiniLmGenerator.Dimensions} dimensions, got {vector.Length}";
            return (new LayerStatus("embedding-model", status, detail, Elapsed(started), facts), status == StatusLevel.Healthy ? new Vector(vector) : null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Status check {Layer} failed", "embedding-model");
            return (new LayerStatus("embedding-model", StatusLevel.Unhealthy, FailureReason(ex), Elapsed(started), facts), null);
        }
    }

    private async Task<(StatusLevel, string, Dictionary<string, string>)> CheckVectorSearchAsync(Vector? probe, CancellationToken ct)
    {
        if (probe is null) return (StatusLevel.Unhealthy, "no probe vector (the embedding model failed)", []);
        // A real nearest-neighbour query over the exemplar vectors (HNSW, cosine distance).
        var nearest = await db.Database.SqlQuery<NearestRow>(
            $"select text, 1 - (embedding <=> {probe}) as similarity from scenario_exemplars order by embedding <=> {probe} limit 1")
            .ToListAsync(ct);
        var count = await db.ScenarioExemplars.CountAsync(ct);
        if (nearest.Count == 0) return (StatusLevel.Degraded, "no exemplar vectors stored yet", new() { ["vectors"] = "0" });
        return (StatusLevel.Healthy, $"nearest of {count} exemplar vectors at similarity {nearest[0].Similarity:F2}",
            new() { ["vectors"] = count.ToString(), ["nearest"] = Truncate(nearest[0].Text, 80), ["similarity"] = nearest[0].Similarity.ToString("F3") });
    }

    private async Task<(StatusLevel, string, Dictionary<string, string>)> CheckCacheAsync(CancellationToken ct)
    {
        var database = redis.GetDatabase();
        var latency = await database.PingAsync();
        var server = redis.GetServers().FirstOrDefault();
        var version = server?.Version.ToString() ?? "unknown";
        return (StatusLevel.Healthy, $"Redis {version}, ping {latency.TotalMilliseconds:F1} ms", new() { ["redis"] = version });
    }

    private async Task<(StatusLevel, string, Dictionary<string, string>)> CheckChatAsync(CancellationToken ct)
    {
        var chat = services.GetService<IChatClient>();
        if (chat is null)
        {
            // Not a failure, and not healthy either (nothing was checked): without a language model the
            // persona speaks from the scenario reply bank. The overall status ignores it.
            return (StatusLevel.NotConfigured, "no language model configured: the persona uses the scenario reply bank", new() { ["provider"] = "reply-bank" });
        }
        var metadata = chat.GetService<ChatClientMetadata>();
        var response = await chat.GetResponseAsync("Reply with the single word: ready",
            new ChatOptions { MaxOutputTokens = 3, Temperature = 0 }, ct);
        return (StatusLevel.Healthy, $"{metadata?.DefaultModelId} answered \"{Truncate(response.Text.Trim(), 20)}\"",
            new() { ["provider"] = metadata?.ProviderName ?? "unknown", ["model"] = metadata?.DefaultModelId ?? "unknown" });
    }

    /// <summary>
    /// A short fixed reason for a failed check. Exception text can hold host names, connection
    /// details or a library's internals: it goes to the log (above), never into the report.
    /// </summary>
    internal static string FailureReason(Exception ex) => ex switch
    {
        OperationCanceledException or TimeoutException => "timed out",
        Npgsql.NpgsqlException or RedisException or HttpRequestException or System.Net.Sockets.SocketException => "unreachable",
        _ => "failed (see the API log)",
    };

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";
    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

    private sealed record NearestRow(string Text, double Similarity);
}
