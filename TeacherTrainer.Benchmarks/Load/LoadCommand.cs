using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// <c>load</c>: the performance report's measurements, end to end, on loopback, bounded in time.
/// See docs/performance.md for the method; scripts/perf.sh runs it.
/// </summary>
public static class LoadCommand
{
    public sealed record Options(TimeSpan WarmUp, TimeSpan Measure, int[] Levels, double PacedRate, int[] VectorSizes, string OutputDirectory, bool SkipVectors,
        string? WidePasses = null, bool PracticeOnly = false);

    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var quick = args.Contains("--quick");
        return new Options(
            TimeSpan.FromSeconds(double.Parse(Value("--warmup") ?? (quick ? "2" : "5"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--duration") ?? (quick ? "5" : "20"), CultureInfo.InvariantCulture)),
            (Value("--levels") ?? "1,20,100").Split(',').Select(int.Parse).ToArray(),
            double.Parse(Value("--paced-rate") ?? "100", CultureInfo.InvariantCulture),
            (Value("--vectors") ?? (quick ? "10000" : "10000,100000")).Split(',').Select(int.Parse).ToArray(),
            Value("--out") ?? Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "perf"),
            args.Contains("--skip-vectors") || args.Contains("--practice-only"),
            Value("--wide-passes"),
            args.Contains("--practice-only"));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var report = new Report(options);
        Directory.CreateDirectory(options.OutputDirectory);
        var content = Path.Combine(AppContext.BaseDirectory, "Content");
        var scenarios = Directory.EnumerateFiles(Path.Combine(content, "Scenarios"), "*.json").Order()
            .Select(f => JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(f), ScenarioDocument.JsonOptions)!).ToList();
        var replies = scenarios.SelectMany(s => s.Exemplars.Select(e => e.Text)).ToList();
        report.Machine = Machine();
        Console.WriteLine($"[load] {report.Machine}");

        // 1. The embedding model's own limit, with nothing else running.
        if (!options.PracticeOnly)
        {
            Console.WriteLine("[load] embedding model limit");
            report.Load("embedding limit");
            report.Embedding = EmbeddingLimit.Measure(replies, options.Measure / 2);
            foreach (var e in report.Embedding) Console.WriteLine($"  {e.Setup}: {e.EncodesPerSecond:F0}/s (mean {e.MeanMs:F1} ms, p95 {e.P95Ms:F1} ms)");
        }

        await using var services = new ServicesUnderTest();

        // 2. Exemplar search at scale, in a scratch database.
        if (!options.SkipVectors)
        {
            Console.WriteLine("[load] exemplar search at scale");
            report.Load("vector search");
            var scratch = await TestEnvironment.CreateDatabaseAsync("perf_vectors");
            try
            {
                report.Vectors = await new VectorSearchBenchmark(scratch).RunAsync(RatedTexts().Concat(replies).ToList(), options.VectorSizes, seed: 7);
            }
            finally
            {
                await TestEnvironment.DropDatabaseAsync(scratch);
            }
        }

        // 3. The API as its own process, against a fresh database and a private Redis.
        Console.WriteLine("[load] starting Redis and the API (Release build)");
        await services.Redis.StartAsync();
        var started = Stopwatch.StartNew();
        var settings = new Dictionary<string, string>
        {
            // Raised for the run: one simulated trainee sends far more than a person can.
            ["RateLimits__Practice__PermitLimit"] = "100000000",
            ["RateLimits__Evaluation__PermitLimit"] = "100000000",
            ["RateLimits__SignIn__PermitLimit"] = "100000000",
        };
        // --wide-passes Never|Always|WhenCoresSpare: the encoder's split pass, to compare one build both ways.
        if (options.WidePasses is { } wide) settings["AI__WidePasses"] = wide;
        await services.StartApiAsync(settings);
        report.StartSeconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"  API ready in {report.StartSeconds:F1} s (migrations, seeding, scenario embeddings)");
        var warming = await services.WaitForWarmUpAsync(TimeSpan.FromMinutes(5));
        Console.WriteLine($"  evaluation warmed up {warming.TotalSeconds:F1} s later (rubrics, persona lines and models)");
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
            UseCookies = false,
        })
        { BaseAddress = services.ApiAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Task.Delay(3000);
        report.RssAtRestMiB = ServicesUnderTest.RssMiB(services.Api);
        report.RedisRssMiB = ServicesUnderTest.RssMiB(services.Redis.ServerProcess!);

        var signUp = Stopwatch.StartNew();
        var trainees = await PracticeLoad.SignUpAsync(http, options.Levels.Max(), Environment.ProcessorCount);
        report.SignUpSeconds = signUp.Elapsed.TotalSeconds;
        Console.WriteLine($"[load] {trainees.Count} trainees signed up in {report.SignUpSeconds:F1} s");

        // 4. Practice turns.
        var practice = new PracticeLoad(http, scenarios);
        var runs = options.Levels.Select(n => (Trainees: n, Paced: (double?)null))
            .Concat(options.Levels.Where(n => n > 1).Select(n => (Trainees: n, Paced: (double?)options.PacedRate)));
        var seed = 1;
        foreach (var (count, paced) in runs)
        {
            var label = paced is null ? $"{count} unpaced" : $"{count} paced {paced:F0}/s";
            Console.WriteLine($"[load] practice: {label}");
            report.Load(label);
            var sampler = new ResourceSampler(services.Api);
            var (turns, starts, completed) = await practice.RunAsync(trainees.Take(count).ToList(), options.WarmUp, options.Measure, paced, seed++);
            sampler.Dispose();
            var summary = turns.Summarise(options.Measure);
            report.Practice.Add(new PracticeRun(label, count, paced, summary, starts.Summarise(options.Measure), completed,
                sampler.PeakRssMiB, sampler.CpuShare, report.LoadAverageNow()));
            Console.WriteLine($"  {summary.Count} turns, {summary.PerSecond:F1}/s, p50 {summary.P50:F1} ms, p95 {summary.P95:F1} ms, p99 {summary.P99:F1} ms, failed {summary.Failed}; API CPU {sampler.CpuShare:P0}, peak RSS {sampler.PeakRssMiB:F0} MiB");
        }

        if (options.PracticeOnly)
        {
            await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "report.md"), report.ToMarkdown());
            return 0;
        }

        // 5. Catalog reads, cached and not.
        var admin = await SignInAsync(http, ServicesUnderTest.AdminEmail, ServicesUnderTest.AdminPassword);
        var categories = scenarios.Select(s => s.Category).Distinct().Order().ToList();
        foreach (var cached in new[] { true, false })
        {
            var label = cached ? "cached (Redis output cache hit)" : "uncached (miss: database, then stored)";
            Console.WriteLine($"[load] catalog reads: {label}");
            report.Load(label);
            var sampler = new ResourceSampler(services.Api);
            var (recorder, hits) = await new CatalogLoad(http, trainees[0].AccessToken, categories).RunAsync(16, options.WarmUp, options.Measure, cached);
            sampler.Dispose();
            var summary = recorder.Summarise(options.Measure);
            report.Catalog.Add(new CatalogRun(label, 16, summary, hits, sampler.PeakRssMiB, sampler.CpuShare, report.LoadAverageNow()));
            Console.WriteLine($"  {summary.PerSecond:F0} req/s, p50 {summary.P50:F2} ms, p95 {summary.P95:F2} ms, hits {hits}/{summary.Count}, failed {summary.Failed}");
        }

        await Task.Delay(5000);
        report.RssAfterLoadMiB = ServicesUnderTest.RssMiB(services.Api);

        // 6. Importing a 1,000-item exemplar collection, as an administrator (exempt from rate limits).
        Console.WriteLine("[load] collection import (1,000 items)");
        report.Load("import");
        var items = CollectionItems(1000);
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/api/collections/perf-import") { Content = JsonContent.Create(new { description = "Load-test import", items }) })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            var import = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            report.ImportSeconds = import.Elapsed.TotalSeconds;
            report.ImportStatus = (int)response.StatusCode;
            Console.WriteLine($"  {(int)response.StatusCode} in {report.ImportSeconds:F1} s");
        }

        var json = Path.Combine(options.OutputDirectory, "results.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        report.WriteCharts(Path.Combine(options.OutputDirectory, "charts"));
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "report.md"), report.ToMarkdown());
        Console.WriteLine($"[load] results: {json}, report.md and charts/ beside it");
        return 0;
    }

    private static async Task<string> SignInAsync(HttpClient http, string email, string password)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Texts of the rated classroom data (not shipped: read from TT_EVAL_DATA or the shared folder).</summary>
    private static IEnumerable<string> RatedTexts()
    {
        var directory = TestEnvironment.EvaluationDataDirectory;
        foreach (var line in File.ReadLines(Path.Combine(directory, "uptake-dev.jsonl")))
        {
            using var row = JsonDocument.Parse(line);
            yield return row.RootElement.GetProperty("student").GetString()!;
            yield return row.RootElement.GetProperty("teacher").GetString()!;
        }
        foreach (var file in new[] { "bridge-train.jsonl", "bridge-validation.jsonl" })
        {
            foreach (var line in File.ReadLines(Path.Combine(directory, file)))
            {
                using var row = JsonDocument.Parse(line);
                yield return row.RootElement.GetProperty("novice").GetString()!;
                yield return row.RootElement.GetProperty("expert").GetString()!;
                foreach (var turn in row.RootElement.GetProperty("context").EnumerateArray()) yield return turn.GetProperty("text").GetString()!;
            }
        }
    }

    /// <summary>A 1,000-item collection from the rated tutoring moments: each moment's expert and novice reply.</summary>
    private static List<object> CollectionItems(int count)
    {
        var directory = TestEnvironment.EvaluationDataDirectory;
        var items = new List<object>();
        foreach (var line in new[] { "bridge-train.jsonl", "bridge-validation.jsonl" }.SelectMany(f => File.ReadLines(Path.Combine(directory, f))))
        {
            using var row = JsonDocument.Parse(line);
            var context = row.RootElement.GetProperty("context").EnumerateArray()
                .Select(t => new { speaker = t.GetProperty("speaker").GetString(), text = t.GetProperty("text").GetString() }).ToList();
            items.Add(new { context, response = row.RootElement.GetProperty("expert").GetString(), quality = "expert" });
            items.Add(new { context, response = row.RootElement.GetProperty("novice").GetString(), quality = "novice" });
            if (items.Count >= count) break;
        }
        return items.Take(count).ToList();
    }

    private static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({cpu}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}

/// <summary>Samples a process's RSS (peak) and CPU use while a run lasts.</summary>
public sealed class ResourceSampler : IDisposable
{
    private readonly Process _process;
    private readonly Timer _timer;
    private readonly double _cpuStart;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public double PeakRssMiB { get; private set; }
    /// <summary>Share of the machine's cores the process used over the run (1.0 = every core busy).</summary>
    public double CpuShare { get; private set; }

    public ResourceSampler(Process process)
    {
        _process = process;
        _cpuStart = ServicesUnderTest.CpuSeconds(process);
        _timer = new Timer(_ => PeakRssMiB = Math.Max(PeakRssMiB, ServicesUnderTest.RssMiB(_process)), null, 0, 250);
    }

    public void Dispose()
    {
        _timer.Dispose();
        PeakRssMiB = Math.Max(PeakRssMiB, ServicesUnderTest.RssMiB(_process));
        CpuShare = (ServicesUnderTest.CpuSeconds(_process) - _cpuStart) / _clock.Elapsed.TotalSeconds / Environment.ProcessorCount;
    }
}

public sealed record PracticeRun(string Label, int Trainees, double? PacedRate, LatencySummary Turns, LatencySummary Starts, int SessionsCompleted,
    double PeakRssMiB, double ApiCpuShare, string LoadAverage);

public sealed record CatalogRun(string Label, int Connections, LatencySummary Reads, int Hits, double PeakRssMiB, double ApiCpuShare, string LoadAverage);
