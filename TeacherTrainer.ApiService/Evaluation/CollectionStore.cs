using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Evaluation;

public sealed record CollectionItemInput(IReadOnlyList<ContextTurn> Context, string Response, string Quality);

/// <summary>A row found near a judged reply, with the reply's similarity to that row's response.</summary>
public sealed record CollectionNeighbour(Guid Id, string Quality, string Response, double ReplySimilarity);

/// <summary>
/// Exemplar collections in pgvector: import (replace) with batched embeddings and a binary COPY,
/// and the two nearest-neighbour queries the collection judgement needs, both served by HNSW indexes.
/// </summary>
public sealed class CollectionStore(
    TeacherDbContext db,
    Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> embeddings,
    TimeProvider time,
    ILogger<CollectionStore> logger)
{
    private const int EmbeddingBatchSize = 64;
    /// <summary>HNSW candidate list: recall@10 0.98 at 100k vectors with p95 under 4 ms (docs/performance.md, "Exemplar search").</summary>
    public const int EfSearch = 200;

    /// <summary>The text that stands for a context: its last two turns joined with a space (how the rated data's baselines were measured).</summary>
    public static string ContextText(IReadOnlyList<ContextTurn> context)
        => string.Join(' ', context.TakeLast(2).Select(t => t.Text.Trim()));

    /// <summary>Creates the collection, or replaces all its items, in one transaction.</summary>
    public async Task<ExemplarCollection> ImportAsync(string name, string description, IReadOnlyList<CollectionItemInput> items, Guid? ownerId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Contexts repeat (an expert and a novice reply to the same moment): embed each distinct text once.
        var distinct = items.Select(i => ContextText(i.Context)).Concat(items.Select(i => i.Response))
            .Distinct(StringComparer.Ordinal).ToList();
        var vectors = await EmbedAllAsync(distinct, name, cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = time.GetUtcNow();
            var collection = await db.Collections.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
            if (collection is null)
            {
                collection = new ExemplarCollection { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now, OwnerId = ownerId };
                db.Collections.Add(collection);
            }
            else
            {
                await db.CollectionItems.Where(i => i.CollectionId == collection.Id).ExecuteDeleteAsync(cancellationToken);
            }
            collection.Description = description;
            collection.ItemCount = items.Count;
            collection.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await CopyItemsAsync(collection.Id, items, vectors, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Collection {Name}: {Count} items imported in {Seconds:F1} s",
                name, items.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return collection;
        });
    }

    private async Task<Dictionary<string, Vector>> EmbedAllAsync(IReadOnlyList<string> texts, string name, CancellationToken cancellationToken)
    {
        var batches = texts.Chunk(EmbeddingBatchSize).ToList();
        var results = new Vector[batches.Count][];
        var done = 0;
        // Batches are independent: use every core (ONNX sessions run concurrently).
        await Parallel.ForEachAsync(batches.Select((b, i) => (Batch: b, Index: i)),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var generated = await embeddings.GenerateAsync(item.Batch, cancellationToken: ct);
                results[item.Index] = generated.Select(g => new Vector(g.Vector)).ToArray();
                var total = Interlocked.Add(ref done, item.Batch.Length);
                logger.LogInformation("Collection {Name}: embedded {Done}/{Total} texts", name, total, texts.Count);
            });
        var map = new Dictionary<string, Vector>(texts.Count, StringComparer.Ordinal);
        var cursor = 0;
        foreach (var batch in results)
        {
            foreach (var vector in batch) map[texts[cursor++]] = vector;
        }
        return map;
    }

    private async Task CopyItemsAsync(Guid collectionId, IReadOnlyList<CollectionItemInput> items, Dictionary<string, Vector> vectors, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY collection_items (id, collection_id, ordinal, context, response, quality, context_embedding, response_embedding) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(collectionId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(System.Text.Json.JsonSerializer.Serialize(item.Context, Scenarios.ScenarioDocument.JsonOptions), NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(item.Response, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(item.Quality, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(vectors[ContextText(item.Context)], cancellationToken);
            await writer.WriteAsync(vectors[item.Response], cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// The rows whose responses are nearest the reply, and the rows of the contexts nearest the
    /// conversation: the two HNSW queries of <see cref="CollectionScorer"/>. Iterative index scans
    /// keep the collection filter from starving the result. The settings and both queries travel in
    /// one batch (one round trip, then the commit), not one command after another.
    /// </summary>
    public async Task<(List<CollectionNeighbour> ByResponse, List<CollectionNeighbour> ByContext)> FindNeighboursAsync(
        Guid collectionId, float[] reply, float[] context, CancellationToken cancellationToken)
    {
        var replyVector = new Vector(reply);
        var contextVector = new Vector(context);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction.GetDbTransaction())
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"SET LOCAL hnsw.ef_search = {EfSearch}"),
                    new NpgsqlBatchCommand("SET LOCAL hnsw.iterative_scan = relaxed_order"),
                    Neighbours("response_embedding <=> $2", CollectionScorer.ResponseNeighbourCount, collectionId, replyVector, replyVector),
                    Neighbours("context_embedding <=> $3", CollectionScorer.ContextNeighbourCount * 2, collectionId, replyVector, contextVector),
                },
            };
            List<CollectionNeighbour> byResponse, byContext;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                byResponse = await ReadAsync(reader, cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                byContext = await ReadAsync(reader, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return (byResponse, byContext);
        });
    }

    private static NpgsqlBatchCommand Neighbours(string order, int limit, Guid collectionId, Vector reply, Vector orderBy)
    {
        var command = new NpgsqlBatchCommand($"""
            SELECT id, quality, response, 1 - (response_embedding <=> $2) AS reply_similarity
            FROM collection_items WHERE collection_id = $1
            ORDER BY {order} LIMIT {limit}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = collectionId });
        command.Parameters.Add(new NpgsqlParameter { Value = reply });
        if (!ReferenceEquals(reply, orderBy)) command.Parameters.Add(new NpgsqlParameter { Value = orderBy });
        return command;
    }

    private static async Task<List<CollectionNeighbour>> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<CollectionNeighbour>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CollectionNeighbour(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3)));
        }
        return rows;
    }
}
