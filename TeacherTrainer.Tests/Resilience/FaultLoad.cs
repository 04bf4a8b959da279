using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TeacherTrainer.Tests.Resilience;

/// <summary>What happened to one kind of request during a fault run.</summary>
public sealed class RequestTally
{
    private int _sent, _succeeded, _failed, _failedWell;
    private long _maxTicks;
    public ConcurrentBag<string> Failures { get; } = [];

    public int Sent => _sent;
    public int Succeeded => _succeeded;
    public int Failed => _failed;
    /// <summary>Failures answered as a retryable problem: 503, Retry-After, problem details.</summary>
    public int FailedRetryable => _failedWell;
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks));

    public void Begin() => Interlocked.Increment(ref _sent);

    public void End(TimeSpan elapsed, HttpResponseMessage? response, string? error)
    {
        long current;
        while (elapsed.Ticks > (current = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, elapsed.Ticks, current) != current) { }
        if (response is { IsSuccessStatusCode: true })
        {
            Interlocked.Increment(ref _succeeded);
            return;
        }
        Interlocked.Increment(ref _failed);
        if (response is { StatusCode: HttpStatusCode.ServiceUnavailable } && response.Headers.RetryAfter is not null
            && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            Interlocked.Increment(ref _failedWell);
        }
        Failures.Add(response is null ? $"no answer after {elapsed.TotalSeconds:F1} s: {error}" : $"{(int)response.StatusCode} after {elapsed.TotalSeconds:F1} s: {error}");
    }

    public override string ToString() => $"sent {Sent}, succeeded {Succeeded}, failed {Failed} (retryable 503 {FailedRetryable}), slowest {Slowest.TotalMilliseconds:F0} ms";
}

/// <summary>
/// Simulated trainees practising through the API while a test breaks something: each starts a
/// session, takes turns until it ends (and reads the catalog between turns, through the output
/// cache), then starts another. Every request is counted, and every turn the API acknowledged
/// (200 with the saved turn) is remembered, to check afterwards that none was lost.
/// </summary>
public sealed class FaultLoad(HttpClient http, IReadOnlyList<string> tokens, IReadOnlyList<string> scenarios)
{
    private static readonly string[] Replies =
    [
        "I can see you're really upset. Can you tell me what happened?",
        "So you're worried that it isn't fair. Let's work it out together.",
        "Would you like to take a minute, or shall we talk about it now?",
        "Thank you for telling me. What would help right now?",
        "I hear you, and I want to understand what happened before.",
    ];

    public RequestTally Starts { get; } = new();
    public RequestTally Turns { get; } = new();
    public RequestTally Reads { get; } = new();
    public ConcurrentBag<Guid> AcknowledgedTurns { get; } = [];
    public ConcurrentBag<TurnResult> TurnResults { get; } = [];
    public int CacheHits => _cacheHits;
    private int _cacheHits;

    /// <summary>Runs until <paramref name="duration"/> has passed or <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken, CancellationToken stop = default)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(tokens.Select((token, i) => Task.Run(async () =>
        {
            var n = i;
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                var (start, _) = await SendAsync<SessionView>(Starts, token, HttpMethod.Post, "/api/sessions", new { scenario = scenarios[n++ % scenarios.Count] });
                if (start is null)
                {
                    await Task.Delay(200, cancellationToken);
                    continue;
                }
                var session = start.Id;
                while (clock.Elapsed < duration && !stop.IsCancellationRequested)
                {
                    var (turn, _) = await SendAsync<TurnResult>(Turns, token, HttpMethod.Post, $"/api/sessions/{session}/turns", new { text = Replies[n++ % Replies.Length] });
                    var (_, response) = await SendAsync<object>(Reads, token, HttpMethod.Get, $"/api/scenarios?category=classroom-disruption", null);
                    if (response?.Headers.Contains("X-Cache") == true) Interlocked.Increment(ref _cacheHits);
                    if (turn is null)
                    {
                        await Task.Delay(200, cancellationToken);
                        continue;
                    }
                    AcknowledgedTurns.Add(turn.Turn.Id);
                    TurnResults.Add(turn);
                    if (turn.SessionStatus == SessionStatus.Completed) break;
                }
            }
        }, cancellationToken)));
    }

    /// <summary>Waits until at least <paramref name="count"/> more turns have succeeded (the system is warm and answering).</summary>
    public async Task WaitForTurnsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Turns.Succeeded + count;
        var clock = Stopwatch.StartNew();
        while (Turns.Succeeded < target)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Fewer than {count} turns succeeded in {timeout.TotalSeconds:F0} s: {Summary()}");
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<(T? Body, HttpResponseMessage? Response)> SendAsync<T>(RequestTally tally, string token, HttpMethod method, string path, object? body) where T : class
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        tally.Begin();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            tally.End(Stopwatch.GetElapsedTime(started), response, response.IsSuccessStatusCode ? null : text);
            return (response.IsSuccessStatusCode ? JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web) : null, response);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            tally.End(Stopwatch.GetElapsedTime(started), null, ex.Message);
            return (null, null);
        }
    }

    public static async Task<List<string>> SignUpAsync(HttpClient http, int count)
    {
        var tokens = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await http.PostAsJsonAsync("/api/auth/signup",
                new { email = $"t{Guid.NewGuid():N}"[..16] + "@faults.local", password = $"Tt-{Guid.NewGuid():N}", displayName = $"Trainee {i}" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            tokens.Add((await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken);
        }
        return tokens;
    }

    public string Summary() => $"session starts: {Starts}; turns: {Turns}; catalog reads: {Reads} ({CacheHits} cache hits); acknowledged turns {AcknowledgedTurns.Count}";
}
