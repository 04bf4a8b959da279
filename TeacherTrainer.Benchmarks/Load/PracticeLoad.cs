using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>A trainee account the load run signed up through the API.</summary>
public sealed record Trainee(string Email, string AccessToken);

/// <summary>
/// Simulated trainees over HTTP (JSON mode): each starts a session on a scenario, replies turn after
/// turn with realistic replies (the scenario's own rated exemplar replies, strong to poor, in a
/// shuffled order) until the session ends, then starts another. Unpaced: each sends its next turn
/// as soon as the last is answered (saturation). Paced: turns are sent on a schedule that adds up
/// to a fixed total rate (an open-loop arrival rate, the way many people practising at once load it).
/// </summary>
public sealed class PracticeLoad(HttpClient http, IReadOnlyList<ScenarioDocument> scenarios)
{
    public static async Task<List<Trainee>> SignUpAsync(HttpClient http, int count, int parallelism)
    {
        var trainees = new Trainee[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var email = $"trainee{i:D3}-{Guid.NewGuid():N}"[..24] + "@perf.local";
            var response = await http.PostAsJsonAsync("/api/auth/signup",
                new { email, password = $"Tt-{Guid.NewGuid():N}", displayName = $"Perf trainee {i}" }, ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Sign-up failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
            trainees[i] = new Trainee(email, token);
        });
        return [.. trainees];
    }

    public sealed record Result(int Trainees, double? PacedTurnsPerSecond, LatencySummary Turns, LatencySummary Starts, int SessionsCompleted, double ApiCpuShare);

    /// <param name="pacedTurnsPerSecond">Null: unpaced (saturation); else the total rate all trainees together aim for.</param>
    public async Task<(LatencyRecorder Turns, LatencyRecorder Starts, int Completed)> RunAsync(
        IReadOnlyList<Trainee> trainees, TimeSpan warmUp, TimeSpan measure, double? pacedTurnsPerSecond, int seed)
    {
        var turns = new LatencyRecorder();
        var starts = new LatencyRecorder();
        var completed = 0;
        var clock = Stopwatch.StartNew();
        var end = warmUp + measure;
        var tasks = trainees.Select((trainee, i) => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + i);
            var interval = pacedTurnsPerSecond is { } rate ? TimeSpan.FromSeconds(trainees.Count / rate) : TimeSpan.Zero;
            var next = interval * random.NextDouble();
            while (clock.Elapsed < end)
            {
                var scenario = scenarios[random.Next(scenarios.Count)];
                var replies = scenario.Exemplars.Select(e => e.Text).OrderBy(_ => random.Next()).ToList();
                var started = Stopwatch.GetTimestamp();
                using var startResponse = await SendAsync(trainee, HttpMethod.Post, "/api/sessions", new { scenario = scenario.Slug });
                var measuring = clock.Elapsed >= warmUp;
                if (startResponse.StatusCode != HttpStatusCode.Created)
                {
                    if (measuring) starts.Fail((int)startResponse.StatusCode);
                    await Task.Delay(100);
                    continue;
                }
                if (measuring) starts.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var session = (await startResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                for (var turn = 0; clock.Elapsed < end; turn++)
                {
                    if (interval > TimeSpan.Zero)
                    {
                        next += interval;
                        var wait = next - clock.Elapsed;
                        if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    }
                    started = Stopwatch.GetTimestamp();
                    using var response = await SendAsync(trainee, HttpMethod.Post, $"/api/sessions/{session}/turns", new { text = replies[turn % replies.Count] });
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    measuring = clock.Elapsed >= warmUp && clock.Elapsed <= end;
                    if (!response.IsSuccessStatusCode)
                    {
                        if (measuring) turns.Fail((int)response.StatusCode);
                        break;
                    }
                    if (measuring)
                    {
                        turns.Record(elapsed);
                        turns.RecordServerTiming(response.Headers.TryGetValues("Server-Timing", out var timing) ? string.Join(", ", timing) : null);
                    }
                    using var result = JsonDocument.Parse(body);
                    if (result.RootElement.GetProperty("sessionStatus").GetString() == "completed")
                    {
                        if (measuring) Interlocked.Increment(ref completed);
                        break;
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);
        return (turns, starts, completed);
    }

    private Task<HttpResponseMessage> SendAsync(Trainee trainee, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", trainee.AccessToken);
        return http.SendAsync(request);
    }
}
