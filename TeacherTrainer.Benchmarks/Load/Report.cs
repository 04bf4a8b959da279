using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>Every figure of a load run, with the machine's load average beside each phase.</summary>
public sealed class Report(LoadCommand.Options options)
{
    public string Machine { get; set; } = "";
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public string Method => $"warm-up {options.WarmUp.TotalSeconds:F0} s, then {options.Measure.TotalSeconds:F0} s measured per run";
    public Dictionary<string, string> LoadAverages { get; } = [];
    public List<EmbeddingLimit.Result> Embedding { get; set; } = [];
    public List<VectorSearchBenchmark.SizeResult> Vectors { get; set; } = [];
    public double StartSeconds { get; set; }
    public double SignUpSeconds { get; set; }
    public double RssAtRestMiB { get; set; }
    public double RssAfterLoadMiB { get; set; }
    public double RedisRssMiB { get; set; }
    public List<PracticeRun> Practice { get; } = [];
    public List<CatalogRun> Catalog { get; } = [];
    public double ImportSeconds { get; set; }
    public int ImportStatus { get; set; }

    [JsonIgnore]
    public double EmbeddingLimitPerSecond => Embedding.Count == 0 ? 0 : Embedding.Max(e => e.EncodesPerSecond);

    /// <summary>Notes the 1-minute load average as a phase starts.</summary>
    public void Load(string phase) => LoadAverages[phase] = LoadAverageNow();

    public string LoadAverageNow() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var parts ? string.Join(' ', parts) : "";

    public void WriteCharts(string directory)
    {
        var runs = Practice.Select(p => (p.Label, p.Turns)).ToList();
        if (runs.Count > 0)
        {
            Charts.TurnLatency(Path.Combine(directory, "turn-latency.svg"), runs, 50);
            Charts.Throughput(Path.Combine(directory, "turn-throughput.svg"), runs, 100, EmbeddingLimitPerSecond);
            var paced = Practice.FirstOrDefault(p => p.Trainees == 20 && p.PacedRate is not null) ?? Practice[^1];
            Charts.TimeBreakdown(Path.Combine(directory, "turn-time.svg"), $"Where a turn's time goes ({paced.Label}, Server-Timing means)", paced.Turns.Phases, paced.Turns.Mean);
        }
        if (Vectors.Count > 0) Charts.VectorSearch(Path.Combine(directory, "vector-search.svg"), Vectors);
    }

    public string ToMarkdown()
    {
        static string F(double v, int digits = 1) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine($"Machine: {Machine}. Run at {StartedAt:yyyy-MM-dd HH:mm} UTC; {Method}.").AppendLine();
        // Every figure names the command that produced it (docs/architecture.md, "Checks").
        md.AppendLine("Written by `scripts/perf.sh` (`dotnet run -c Release --project TeacherTrainer.Benchmarks -- load`).").AppendLine();
        md.AppendLine("| embedding model (all-MiniLM-L6-v2, ONNX, reply + clauses in one pass) | encodes/s | mean ms | p95 ms |").AppendLine("|---|---|---|---|");
        foreach (var e in Embedding) md.AppendLine($"| {e.Setup} | {F(e.EncodesPerSecond, 0)} | {F(e.MeanMs)} | {F(e.P95Ms)} |");
        md.AppendLine($"\nLoad average at that phase: {LoadAverages.GetValueOrDefault("embedding limit")}\n");

        md.AppendLine("| practice turns (JSON) | turns | turns/s | p50 ms | p95 ms | p99 ms | max ms | failed | sessions completed | session start p95 ms | API CPU | API peak RSS MiB | load avg |")
          .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in Practice)
        {
            md.AppendLine($"| {p.Label} | {p.Turns.Count} | {F(p.Turns.PerSecond)} | {F(p.Turns.P50)} | {F(p.Turns.P95)} | {F(p.Turns.P99)} | {F(p.Turns.Max)} | {p.Turns.Failed} | {p.SessionsCompleted} | {F(p.Starts.P95)} | {p.ApiCpuShare:P0} | {F(p.PeakRssMiB, 0)} | {p.LoadAverage} |");
        }
        md.AppendLine().AppendLine("| Server-Timing (mean / p95 ms) | " + string.Join(" | ", Practice.Select(p => p.Label)) + " |")
          .AppendLine("|---|" + string.Concat(Practice.Select(_ => "---|")));
        foreach (var phase in new[] { "load", "judge", "embed", "persona", "save", "ser", "total" })
        {
            md.AppendLine($"| {phase} | " + string.Join(" | ", Practice.Select(p => p.Turns.Phases.TryGetValue(phase, out var s) ? $"{F(s.Mean, 2)} / {F(s.P95, 2)}" : "")) + " |");
        }
        md.AppendLine("| client-measured turn (mean) | " + string.Join(" | ", Practice.Select(p => F(p.Turns.Mean, 2))) + " |");

        md.AppendLine().AppendLine("| catalog reads, 16 connections | req/s | p50 ms | p95 ms | p99 ms | cache hits | failed | API CPU | load avg |").AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in Catalog) md.AppendLine($"| {c.Label} | {F(c.Reads.PerSecond, 0)} | {F(c.Reads.P50, 2)} | {F(c.Reads.P95, 2)} | {F(c.Reads.P99, 2)} | {c.Hits}/{c.Reads.Count} | {c.Reads.Failed} | {c.ApiCpuShare:P0} | {c.LoadAverage} |");

        if (Vectors.Count > 0)
        {
            md.AppendLine().AppendLine($"| exemplar search (HNSW m={VectorSearchBenchmark.M}, ef_construction={VectorSearchBenchmark.EfConstruction}) | ef_search | recall@10 | p50 ms | p95 ms |").AppendLine("|---|---|---|---|---|");
            foreach (var size in Vectors)
            {
                foreach (var point in size.Points) md.AppendLine($"| {size.Vectors:N0} vectors (index built in {F(size.BuildSeconds)} s; exact scan p95 {F(size.ExactP95Ms)} ms) | {point.EfSearch} | {F(point.RecallAt10, 3)} | {F(point.P50Ms, 2)} | {F(point.P95Ms, 2)} |");
            }
            md.AppendLine($"\nLoad average at that phase: {LoadAverages.GetValueOrDefault("vector search")}\n");
            md.AppendLine("```").AppendLine(Vectors[^1].Plan).AppendLine("```");
        }
        md.AppendLine().AppendLine($"API start (migrate, seed, embed the library): {F(StartSeconds)} s. Sign-up of {Practice.Select(p => p.Trainees).DefaultIfEmpty().Max()} trainees: {F(SignUpSeconds)} s.");
        md.AppendLine($"API RSS at rest {F(RssAtRestMiB, 0)} MiB, after the load {F(RssAfterLoadMiB, 0)} MiB, peak {F(Practice.Concat<object>(Catalog).Select(x => x is PracticeRun p ? p.PeakRssMiB : ((CatalogRun)x).PeakRssMiB).DefaultIfEmpty(0).Max(), 0)} MiB; Redis RSS {F(RedisRssMiB, 0)} MiB.");
        md.AppendLine($"Collection import, 1,000 items: {F(ImportSeconds)} s (HTTP {ImportStatus}); load average {LoadAverages.GetValueOrDefault("import")}.");
        return md.ToString();
    }
}
