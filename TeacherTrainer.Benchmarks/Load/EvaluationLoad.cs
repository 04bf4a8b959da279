using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// <c>evaluations</c>: how long <c>POST /api/evaluations</c> takes over loopback, one client at a
/// time (the latency a caller sees, not throughput), on the rated data: the general rubric on
/// uptake-dev exchanges, a scenario, and a 1,000-item collection built from Bridge. The API runs as
/// its own Release process on a fresh database and a private Redis; every request is bounded.
/// Each answer's Server-Timing header says where the time went.
/// </summary>
public static class EvaluationLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = int.TryParse(args.SkipWhile(a => a != "--requests").Skip(1).FirstOrDefault(), out var n) ? n : 400;
        // --bodies FILE: every measured answer's body, one a line, so two builds can be compared byte for byte.
        var bodiesPath = args.SkipWhile(a => a != "--bodies").Skip(1).FirstOrDefault();
        await using var bodies = bodiesPath is null ? null : new StreamWriter(bodiesPath, false, new System.Text.UTF8Encoding(false));
        var directory = TestEnvironment.EvaluationDataDirectory;
        var uptake = File.ReadLines(Path.Combine(directory, "uptake-dev.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var validation = File.ReadLines(Path.Combine(directory, "bridge-validation.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();

        await using var services = new ServicesUnderTest();
        await services.Redis.StartAsync();
        // --wide-passes Never|WhenCoresSpare|Always: the encoder's use of the cores (AI:WidePasses), to compare one build both ways.
        var environment = new Dictionary<string, string> { ["RateLimits__Evaluation__PermitLimit"] = "100000000" };
        if (args.SkipWhile(a => a != "--wide-passes").Skip(1).FirstOrDefault() is { } wide) environment["AI__WidePasses"] = wide;
        await services.StartApiAsync(environment);
        using var http = new HttpClient { BaseAddress = services.ApiAddress, Timeout = TimeSpan.FromSeconds(180) };
        var token = (await (await http.PostAsJsonAsync("/api/auth/token", new { email = ServicesUnderTest.AdminEmail, password = ServicesUnderTest.AdminPassword }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var items = File.ReadLines(Path.Combine(directory, "bridge-train.jsonl")).Select(l => JsonNode.Parse(l)!)
            .SelectMany(r => new[]
            {
                new { context = r["context"]!.DeepClone(), response = r["expert"]!.GetValue<string>(), quality = "expert" },
                new { context = r["context"]!.DeepClone(), response = r["novice"]!.GetValue<string>(), quality = "novice" },
            }).Take(1000).ToList();
        (await http.PutAsJsonAsync("/api/collections/perf-evaluations", new { description = "evaluation latency", items })).EnsureSuccessStatusCode();

        var runs = new (string Label, Func<int, object> Body)[]
        {
            ("general rubric (uptake-dev exchanges)", i => new
            {
                context = new[] { new { speaker = "student", text = uptake[i % uptake.Count]["student"]!.GetValue<string>() } },
                response = uptake[i % uptake.Count]["teacher"]!.GetValue<string>(),
            }),
            ("scenario (uptake-dev replies to its opening line)", i => new
            {
                context = new[] { new { speaker = "parent", text = "Why is my daughter in tears over maths homework every night?" } },
                response = uptake[i % uptake.Count]["teacher"]!.GetValue<string>(),
                scenarioId = "grade-4-dad-frustrated-with-area-model-homework",
            }),
            ("1,000-item collection (Bridge validation)", i => new
            {
                context = validation[i % validation.Count]["context"]!.DeepClone(),
                response = validation[i % validation.Count][i % 2 == 0 ? "expert" : "novice"]!.GetValue<string>(),
                collection = "perf-evaluations",
            }),
        };
        Console.WriteLine($"[evaluations] {requests} requests per run, one at a time, after 40 warm-up requests; machine load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (label, body) in runs)
        {
            for (var i = 0; i < 40; i++) (await http.PostAsJsonAsync("/api/evaluations", body(i + 5000))).EnsureSuccessStatusCode();
            var recorder = new LatencyRecorder();
            var window = Stopwatch.StartNew();
            for (var i = 0; i < requests; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/evaluations", body(i));
                var content = await response.Content.ReadAsByteArrayAsync();
                if (bodies is not null) await bodies.WriteLineAsync(System.Text.Encoding.UTF8.GetString(content));
                if (!response.IsSuccessStatusCode) { recorder.Fail((int)response.StatusCode); continue; }
                recorder.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                recorder.RecordServerTiming(response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(",", values) : null);
            }
            var s = recorder.Summarise(window.Elapsed);
            var phases = string.Join(", ", s.Phases.Select(p => $"{p.Key} p50 {p.Value.P50:F1} / p95 {p.Value.P95:F1} ms"));
            Console.WriteLine($"  {label}: p50 {s.P50:F1} ms, p95 {s.P95:F1} ms, p99 {s.P99:F1} ms, failed {s.Failed}; server: {phases}; load after {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        return 0;
    }
}
