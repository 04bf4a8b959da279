using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.Tests.Quality;

namespace TeacherTrainer.Benchmarks.Speed;

/// <summary>
/// Where a judgement's time goes, and a check that a change to the engine's speed changed no judgement.
/// <list type="bullet">
/// <item><c>judgement-profile [--iterations N]</c>: the JudgementBenchmarks replies (and an unseen line
/// answered, as the API's general rubric meets it) judged one at a time, with a Stopwatch breakdown of the
/// engine's stages called one by one as the engine calls them. Percentiles of single calls.</item>
/// <item><c>judgement-digest FILE</c>: every judgement of the robustness suite's cases, of 300 uptake-dev
/// exchanges and of 300 MRBench replies (general rubric, whole conversations), serialised one per line
/// to FILE with its move; its SHA-256 is printed. Two builds agree byte for byte when the files do.</item>
/// </list>
/// </summary>
public static class JudgementProfile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunDigestAsync(string contentDirectory, string dataDirectory, string path, TextWriter output)
    {
        using var services = EvaluationServices.CreateInProcess();
        var versions = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(contentDirectory, "Scenarios"), "*.json").Order(StringComparer.Ordinal))
        {
            var document = JsonSerializer.Deserialize<ScenarioDocument>(await File.ReadAllTextAsync(file), ScenarioDocument.JsonOptions)!;
            versions[document.Slug] = await services.PreloadAsync(document);
        }
        var engine = services.GetRequiredService<EvaluationEngine>();
        var inputs = new List<(string Key, EvaluationInput Input)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in RobustnessCases.Generate(Path.Combine(contentDirectory, "Scenarios"), dataDirectory))
        {
            var context = c.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList();
            foreach (var text in new[] { c.Good, c.Gamed })
            {
                var key = $"{c.ScenarioId}|{string.Join("\n", context.Select(t => t.Speaker + ":" + t.Text))}|{text}";
                if (seen.Add(key)) inputs.Add((key, new EvaluationInput(context, text, c.ScenarioId is null ? null : versions[c.ScenarioId])));
            }
        }
        foreach (var row in File.ReadLines(Path.Combine(dataDirectory, "uptake-dev.jsonl")).Take(300).Select(l => JsonNode.Parse(l)!))
        {
            inputs.Add(("uptake " + row["id"], new EvaluationInput([new ContextTurn("student", row["student"]!.GetValue<string>())], row["teacher"]!.GetValue<string>())));
        }
        var mrbench = File.ReadLines(Path.Combine(dataDirectory, "mrbench-dev.jsonl")).Select(l => JsonNode.Parse(l)!)
            .SelectMany(m => m["replies"]!.AsArray().Select(r => (Moment: m, Reply: r!))).Take(300);
        foreach (var (moment, reply) in mrbench)
        {
            var context = moment["context"]!.AsArray().Select(t => new ContextTurn(t!["speaker"]!.GetValue<string>(), t["text"]!.GetValue<string>())).ToList();
            inputs.Add(("mrbench " + moment["id"] + " " + reply["tutor"], new EvaluationInput(context, reply["response"]!.GetValue<string>())));
        }

        var started = Stopwatch.StartNew();
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            foreach (var (key, input) in inputs)
            {
                var result = await engine.JudgeAsync(input, CancellationToken.None);
                await writer.WriteLineAsync($"{key.Replace('\n', ' ')}\t{result.Move.Move} {result.Move.Confidence}\t{JsonSerializer.Serialize(result.Judgement, Json)}");
            }
        }
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        output.WriteLine($"{inputs.Count} judgements in {started.Elapsed.TotalSeconds:F1} s -> {path}; SHA-256 {hash}");
    }

    public static async Task RunProfileAsync(string contentDirectory, string dataDirectory, string[] args, TextWriter output)
    {
        var iterations = int.TryParse(args.SkipWhile(a => a != "--iterations").Skip(1).FirstOrDefault(), out var n) ? n : 300;
        using var services = EvaluationServices.CreateInProcess();
        var document = JsonSerializer.Deserialize<ScenarioDocument>(
            await File.ReadAllTextAsync(Path.Combine(contentDirectory, "Scenarios", "year1-lego-rocket-tidy-up-refusal.json")), ScenarioDocument.JsonOptions)!;
        var version = await services.PreloadAsync(document);
        var engine = services.GetRequiredService<EvaluationEngine>();
        var encoder = services.GetRequiredService<ReplyEncoder>();
        var bases = services.GetRequiredService<RubricBasisCache>();
        var catalog = services.GetRequiredService<MoveCatalog>();
        var classifier = await services.GetRequiredService<MoveClassifierProvider>().GetAsync(CancellationToken.None);
        var miniLm = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()
            .GetService<MiniLmEncoder>()!;
        var basis = (await bases.GetScenarioAsync(version, CancellationToken.None))!;
        var uptake = File.ReadLines(Path.Combine(dataDirectory, "uptake-dev.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Select(r => (Student: r["student"]!.GetValue<string>(), Teacher: r["teacher"]!.GetValue<string>())).ToList();
        output.WriteLine($"[judgement-profile] {iterations} single calls each after 20 warm-up; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");

        foreach (var (label, reply) in JudgementBenchmarks.Replies)
        {
            var line = document.OpeningLine;
            var context = new List<ContextTurn> { new("student", line) };
            var input = new EvaluationInput(context, reply, version);
            var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            void Time(string stage, long since) => (stages.TryGetValue(stage, out var l) ? l : stages[stage] = []).Add(Stopwatch.GetElapsedTime(since).TotalMilliseconds);
            for (var i = -20; i < iterations; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await engine.JudgeAsync(input, CancellationToken.None);
                if (i < 0) continue;
                Time("whole judgement", t);
                t = Stopwatch.GetTimestamp();
                var encoded = await encoder.EncodeReplyAsync(reply, CancellationToken.None);
                Time("encode reply (queued pass)", t);
                t = Stopwatch.GetTimestamp();
                miniLm.EncodeWithSpans(reply, ClauseSplitter.Split(reply));
                Time("encode reply (pass on the caller's thread)", t);
                t = Stopwatch.GetTimestamp();
                var previous = await encoder.EncodeTextAsync(line, CancellationToken.None);
                Time("line answered (cached)", t);
                t = Stopwatch.GetTimestamp();
                var move = await classifier.HearAsync(encoded, encoder.EncodeReplyAsync, CancellationToken.None);
                Time("move", t);
                t = Stopwatch.GetTimestamp();
                var up = UptakeScorer.Score(line, reply, previous, encoded.Vector, speaker: "the student");
                Time("uptake", t);
                t = Stopwatch.GetTimestamp();
                var integrity = ReplyIntegrity.AboutTheScenario(ReplyIntegrity.Inspect(context, encoded, previous, basis.Criteria, classifier), encoded, basis);
                Time("integrity", t);
                t = Stopwatch.GetTimestamp();
                JudgementComposer.JudgeAgainstRubric(basis, encoded, move, catalog, up, "the student", line, firstReply: true, integrity: integrity, hear: classifier);
                Time("rubric, red lines, feedback", t);
                t = Stopwatch.GetTimestamp();
                RedLineDetector.Detect(basis, encoded);
                Time("  of which red lines", t);
            }
            var (passes, wide) = miniLm.PassCounts;
            output.WriteLine($"scenario, {label} ({ClauseCount(reply)} clauses; so far {wide} of {passes} queued passes on every core; load {File.ReadAllText("/proc/loadavg").Trim()}):");
            foreach (var (stage, times) in stages) output.WriteLine($"  {stage,-45} p50 {Percentile(times, 0.5),7:F3}  p95 {Percentile(times, 0.95),7:F3}  mean {times.Average(),7:F3} ms");
        }

        // The general rubric as the API meets it: every line answered unseen, so two passes per judgement.
        {
            var times = new List<double>();
            for (var i = -20; i < iterations; i++)
            {
                var (student, teacher) = uptake[(i + 20) % uptake.Count];
                var t = Stopwatch.GetTimestamp();
                await engine.JudgeAsync(new EvaluationInput([new ContextTurn("student", student)], teacher), CancellationToken.None);
                if (i >= 0) times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            output.WriteLine($"general rubric, uptake-dev exchanges, line answered unseen: p50 {Percentile(times, 0.5):F3}  p95 {Percentile(times, 0.95):F3}  mean {times.Average():F3} ms");
        }
        static int ClauseCount(string reply) => ClauseSplitter.Split(reply).Count;
    }

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
