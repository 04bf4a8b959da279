using System.Diagnostics;
using System.Numerics.Tensors;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// Exemplar search at scale, in a scratch database: HNSW (cosine) recall@10 against exact search,
/// and latency, for several ef_search values, at 10k and 100k vectors.
/// The vectors: real all-MiniLM-L6-v2 embeddings of the rated classroom data and the scenario
/// exemplars, and, to reach 100k, vectors made from them (a real vector plus part of another plus
/// a little Gaussian noise, normalised), so the set keeps the clustered shape of real replies.
/// The queries: real replies held out of the set.
/// </summary>
public sealed class VectorSearchBenchmark(string connectionString)
{
    public const int M = 16;
    public const int EfConstruction = 64;
    public static readonly int[] EfSearchValues = [40, 64, 100, 200];
    private const int QueryCount = 200;

    public sealed record Point(int Vectors, int EfSearch, double RecallAt10, double P50Ms, double P95Ms);
    public sealed record SizeResult(int Vectors, double BuildSeconds, double ExactP95Ms, string Plan, List<Point> Points);

    public async Task<List<SizeResult>> RunAsync(IReadOnlyList<string> texts, int[] sizes, int seed)
    {
        var random = new Random(seed);
        var shuffled = texts.Distinct(StringComparer.Ordinal).OrderBy(_ => random.Next()).ToList();
        var queryTexts = shuffled.Take(QueryCount).ToList();
        var baseTexts = shuffled.Skip(QueryCount).ToList();
        Console.WriteLine($"  embedding {baseTexts.Count} base texts and {queryTexts.Count} queries");
        var baseVectors = Embed(baseTexts);
        var queries = Embed(queryTexts);

        var all = Synthesise(baseVectors, sizes.Max(), random);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        var results = new List<SizeResult>();
        foreach (var size in sizes)
        {
            var vectors = all.Take(size).ToArray();
            var table = $"vectors_{size}";
            await using var connection = await dataSource.OpenConnectionAsync();
            await Execute(connection, $"drop table if exists {table}; create table {table} (id int primary key, embedding vector({MiniLmEncoder.Dimensions}))");
            await using (var writer = await connection.BeginBinaryImportAsync($"COPY {table} (id, embedding) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < vectors.Length; i++)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(i, NpgsqlDbType.Integer);
                    await writer.WriteAsync(new Vector(vectors[i]));
                }
                await writer.CompleteAsync();
            }
            await Execute(connection, "set maintenance_work_mem = '1GB'");
            var build = Stopwatch.StartNew();
            await Execute(connection, $"create index on {table} using hnsw (embedding vector_cosine_ops) with (m = {M}, ef_construction = {EfConstruction})");
            build.Stop();
            await Execute(connection, $"analyze {table}");
            Console.WriteLine($"  {size:N0} vectors: HNSW index built in {build.Elapsed.TotalSeconds:F1} s");

            var exact = queries.Select(q => ExactTop10(vectors, q)).ToList();
            var points = new List<Point>();
            foreach (var ef in EfSearchValues)
            {
                await Execute(connection, $"set hnsw.ef_search = {ef}");
                var latencies = new List<double>();
                var recall = 0.0;
                for (var pass = 0; pass < 2; pass++)
                {
                    latencies.Clear();
                    recall = 0;
                    for (var q = 0; q < queries.Length; q++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        var found = await Top10Async(connection, table, queries[q]);
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        recall += found.Intersect(exact[q]).Count() / 10.0;
                    }
                }
                var sorted = latencies.Order().ToArray();
                points.Add(new Point(size, ef, recall / queries.Length, LatencyRecorder.Percentile(sorted, 0.5), LatencyRecorder.Percentile(sorted, 0.95)));
                Console.WriteLine($"    ef_search {ef}: recall@10 {recall / queries.Length:F3}, p95 {LatencyRecorder.Percentile(sorted, 0.95):F2} ms");
            }

            await Execute(connection, $"set hnsw.ef_search = {EfSearchValues[2]}");
            var plan = await ExplainAsync(connection, table, queries[0]);
            // Exact search in PostgreSQL for comparison: no index.
            await Execute(connection, "set enable_indexscan = off");
            var exactLatencies = new List<double>();
            foreach (var query in queries.Take(30))
            {
                var started = Stopwatch.GetTimestamp();
                await Top10Async(connection, table, query);
                exactLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            await Execute(connection, "reset enable_indexscan");
            results.Add(new SizeResult(size, build.Elapsed.TotalSeconds, LatencyRecorder.Percentile(exactLatencies.Order().ToArray(), 0.95), plan, points));
        }
        return results;
    }

    private static float[][] Embed(IReadOnlyList<string> texts)
    {
        var result = new float[texts.Count][];
        var batches = Enumerable.Range(0, (texts.Count + 31) / 32).ToList();
        using var encoder = new MiniLmEncoder();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var batch = texts.Skip(b * 32).Take(32).ToList();
            var vectors = encoder.Encode(batch);
            for (var i = 0; i < vectors.Length; i++) result[b * 32 + i] = vectors[i];
        });
        return result;
    }

    private static float[][] Synthesise(float[][] real, int count, Random random)
    {
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            if (i < real.Length)
            {
                result[i] = real[i];
                continue;
            }
            var a = real[random.Next(real.Length)];
            var b = real[random.Next(real.Length)];
            var share = (float)(random.NextDouble() * 0.6);
            var vector = new float[a.Length];
            for (var d = 0; d < vector.Length; d++) vector[d] = a[d] + share * b[d] + 0.015f * Gaussian(random);
            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            result[i] = vector;
        }
        return result;
    }

    private static float Gaussian(Random random)
        => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static HashSet<int> ExactTop10(float[][] vectors, float[] query)
    {
        // Normalised vectors: the smallest cosine distance is the largest dot product.
        var best = new PriorityQueue<int, float>();
        for (var i = 0; i < vectors.Length; i++)
        {
            var similarity = TensorPrimitives.Dot(vectors[i], query);
            if (best.Count < 10) best.Enqueue(i, similarity);
            else if (best.TryPeek(out _, out var worst) && similarity > worst) best.DequeueEnqueue(i, similarity);
        }
        return [.. best.UnorderedItems.Select(x => x.Element)];
    }

    private static async Task<List<int>> Top10Async(NpgsqlConnection connection, string table, float[] query)
    {
        await using var command = new NpgsqlCommand($"select id from {table} order by embedding <=> $1 limit 10", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        var ids = new List<int>(10);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt32(0));
        return ids;
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string table, float[] query)
    {
        await using var command = new NpgsqlCommand($"explain (analyze, costs off) select id from {table} order by embedding <=> $1 limit 10", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(System.Text.RegularExpressions.Regex.Replace(reader.GetString(0), @"'\[[^\]]*\]'", "'[query vector]'"));
        return string.Join('\n', lines);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}
