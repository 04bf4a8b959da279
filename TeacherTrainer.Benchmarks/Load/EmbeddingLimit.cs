using System.Diagnostics;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// The embedding model's own limit on this machine: how many trainee replies a second
/// all-MiniLM-L6-v2 can encode in-process with every core busy, using the same call a judgement
/// makes (one forward pass giving the reply's and its clauses' vectors). Nothing else runs meanwhile.
/// </summary>
public static class EmbeddingLimit
{
    public sealed record Result(string Setup, int Workers, int IntraOpThreads, double EncodesPerSecond, double MeanMs, double P95Ms);

    public static List<Result> Measure(IReadOnlyList<string> replies, TimeSpan duration)
    {
        var results = new List<Result>();
        var cores = Environment.ProcessorCount;
        // As the API runs it: one session, one thread per inference, requests in parallel.
        results.Add(Run("one session, one thread per inference, 1 request at a time", 1, 1, replies, duration));
        results.Add(Run($"one session, one thread per inference, {cores} requests at a time", cores, 1, replies, duration));
        results.Add(Run($"one session, {cores} threads per inference, 1 request at a time", 1, cores, replies, duration));
        // Replies batched into one forward pass (padded to the longest): what a micro-batching encoder can reach.
        foreach (var batch in new[] { 4, 8, 16 })
        {
            results.Add(Run($"one session, one thread per inference, {cores} at a time, batches of {batch}", cores, 1, replies, duration, batch));
        }
        return results;
    }

    private static Result Run(string setup, int workers, int intraOp, IReadOnlyList<string> replies, TimeSpan duration, int batch = 1)
    {
        using var encoder = new MiniLmEncoder(intraOp, widePasses: WidePasses.Never);
        // Warm up (first runs allocate and optimise the graph).
        for (var i = 0; i < 20; i++) Encode(encoder, replies[i % replies.Count]);
        var latencies = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            var n = w;
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                if (batch == 1) Encode(encoder, replies[n++ % replies.Count]);
                else
                {
                    var texts = Enumerable.Range(0, batch).Select(_ => replies[n++ % replies.Count]).ToList();
                    encoder.EncodeWithSpans(texts, texts.Select(t => ClauseSplitter.Split(t)).ToList());
                }
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                for (var i = 0; i < batch; i++) latencies.Enqueue(elapsed);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new Result(setup, workers, intraOp, sorted.Length / elapsed, sorted.Average(), LatencyRecorder.Percentile(sorted, 0.95));
    }

    private static void Encode(MiniLmEncoder encoder, string reply) => encoder.EncodeWithSpans(reply, ClauseSplitter.Split(reply));
}
