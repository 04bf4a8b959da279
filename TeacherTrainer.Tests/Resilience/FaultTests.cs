using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Resilience;

/// <summary>
/// Faults under load, on the whole system (AppHost, existing-services mode) against a private
/// PostgreSQL cluster, a private Redis and an in-test Ollama: each test breaks one of them while
/// simulated trainees practise, and counts requests sent, succeeded and failed, and data lost
/// (acknowledged turns missing from the database afterwards), which must be zero.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class FaultTests(FaultsFixture system)
{
    private const int Trainees = 6;
    private static readonly string[] Scenarios = ["year1-lego-rocket-tidy-up-refusal", "year6-sats-practice-paper-panic", "grade4-math-class-clown-fractions"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void SkipWhenUnavailable() => Assert.SkipWhen(system.Unavailable is not null, system.Unavailable ?? "");

    [Fact]
    public async Task Redis_stops_during_a_load_run_practice_continues_uncached_and_recovers()
    {
        SkipWhenUnavailable();
        using var http = system.CreateRawApiClient(TimeSpan.FromSeconds(20));
        var load = new FaultLoad(http, await FaultLoad.SignUpAsync(http, Trainees), Scenarios);

        using var stop = new CancellationTokenSource();
        var run = load.RunAsync(TimeSpan.FromMinutes(2), Ct, stop.Token);
        // Warm and answering first (a busy CI machine may take a while), then the outage.
        await load.WaitForTurnsAsync(20, TimeSpan.FromSeconds(60), Ct);
        await system.Redis.StopAsync();
        var hitsBeforeOutage = load.CacheHits;
        var turnsBeforeOutage = load.Turns.Succeeded;
        await Task.Delay(TimeSpan.FromSeconds(6), Ct);
        Assert.True(load.Turns.Succeeded > turnsBeforeOutage, "practice went on while Redis was down: " + load.Summary());
        await system.Redis.StartAsync();
        await load.WaitForTurnsAsync(20, TimeSpan.FromSeconds(60), Ct);
        await stop.CancelAsync();
        await run;

        var lost = await LostTurnsAsync(load);
        Report("Redis killed for 6 s during a practice run", load, lost);
        Assert.Equal(0, lost);
        Assert.True(hitsBeforeOutage > 0, "catalog reads were served from the cache before the outage");
        Assert.True(load.Turns.Failed == 0, load.Summary() + "\n" + string.Join("\n", load.Turns.Failures.Take(3)) + "\n" + system.RecentApiErrors());
        Assert.Equal(0, load.Reads.Failed);
        Assert.Equal(0, load.Starts.Failed);
        Assert.True(load.Turns.Succeeded > 20, load.Summary());
        Assert.True(load.Reads.Slowest < TimeSpan.FromSeconds(5), $"a catalog read waited {load.Reads.Slowest} on the dead cache");

        // Recovered: the cache is used again once Redis is back.
        using var client = system.CreateRawApiClient(TimeSpan.FromSeconds(10));
        var token = (await FaultLoad.SignUpAsync(http, 1))[0];
        var hit = false;
        for (var attempt = 0; attempt < 40 && !hit; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scenarios?category=parent-communication");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            hit = response.Headers.Contains("X-Cache");
            if (!hit) await Task.Delay(250, Ct);
        }
        Assert.True(hit, "the output cache is used again after Redis returns");
    }

    [Fact]
    public async Task PostgreSQL_restarts_during_a_load_run_no_acknowledged_turn_is_lost_and_failures_are_retryable()
    {
        SkipWhenUnavailable();
        using var http = system.CreateRawApiClient(TimeSpan.FromSeconds(30));
        var load = new FaultLoad(http, await FaultLoad.SignUpAsync(http, Trainees), Scenarios);

        using var stop = new CancellationTokenSource();
        var run = load.RunAsync(TimeSpan.FromMinutes(2), Ct, stop.Token);
        await load.WaitForTurnsAsync(20, TimeSpan.FromSeconds(60), Ct);
        var succeededBefore = load.Turns.Succeeded;
        // Down for a few seconds, as a restart or failover on a busy host takes.
        await system.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await system.Postgres.StartAgainAsync();
        var succeededAtRestart = load.Turns.Succeeded;
        // Turns succeed again after the restart.
        await load.WaitForTurnsAsync(20, TimeSpan.FromSeconds(60), Ct);
        await stop.CancelAsync();
        await run;

        var lost = await LostTurnsAsync(load);
        Report("PostgreSQL stopped (fast shutdown) for 3 s and started again during a practice run", load, lost);
        Assert.Equal(0, lost);
        Assert.True(succeededBefore > 0, load.Summary() + "\n" + system.RecentApiErrors());
        Assert.True(load.Turns.Succeeded > succeededAtRestart, "turns succeed again after the restart: " + load.Summary());
        foreach (var tally in new[] { load.Starts, load.Turns })
        {
            // Every failure is a clear, retryable answer (503, Retry-After, problem details), and none hangs.
            Assert.True(tally.Failed == tally.FailedRetryable, string.Join("\n", tally.Failures.Take(5)));
            Assert.True(tally.Slowest < TimeSpan.FromSeconds(15), $"a request took {tally.Slowest}");
        }
    }

    [Fact]
    public async Task The_language_model_down_or_slow_falls_back_to_the_reply_bank_within_its_timeout_and_judgement_is_unaffected()
    {
        SkipWhenUnavailable();
        using var http = system.CreateRawApiClient(TimeSpan.FromSeconds(30));
        var tokens = await FaultLoad.SignUpAsync(http, Trainees);
        const string probe = "I can see you're upset about tidying up. Shall we find a safe place for your rocket?";
        try
        {
            system.Ollama.ChatReply = _ => "Okay. But I want to finish it later.";
            // A first call warms the model path (JIT, connections): cold, on a busy machine, it can
            // miss the short timeout while the model is healthy.
            await ProbeAsync(http, tokens[0], probe);
            var healthy = await ProbeAsync(http, tokens[0], probe);
            Assert.Equal(ReplySources.Model, healthy.Source);

            var phases = new List<(string Name, FaultLoad Load, string Probe, TimeSpan ProbeTime)>();
            foreach (var (name, breakIt) in new (string, Action)[]
            {
                ("chat model down (HTTP 500)", () => system.Ollama.FailChatWithStatus = 500),
                ($"chat model slow (200 ms a word, 40 words: past the {FaultsFixture.PersonaTimeoutSeconds:F0} s timeout)", () =>
                {
                    system.Ollama.FailChatWithStatus = null;
                    system.Ollama.ChatReply = _ => string.Join(' ', Enumerable.Repeat("slowly", 40));
                    system.Ollama.TokenDelay = TimeSpan.FromMilliseconds(200);
                }),
            })
            {
                breakIt();
                var load = new FaultLoad(http, tokens, Scenarios);
                await load.RunAsync(TimeSpan.FromSeconds(8), Ct);
                var clock = Stopwatch.StartNew();
                var probed = await ProbeAsync(http, tokens[0], probe);
                phases.Add((name, load, probed.Judgement, clock.Elapsed));

                var lost = await LostTurnsAsync(load);
                Report($"Language model: {name}, 8 s run", load, lost);
                Assert.Equal(0, lost);
                Assert.Equal(0, load.Turns.Failed);
                Assert.Equal(0, load.Starts.Failed);
                Assert.True(load.Turns.Succeeded > 0);
                // Every turn fell back to the reply bank (or the session's closing line), none waited past the timeout by much.
                Assert.All(load.TurnResults, r => Assert.Contains(r.Turn.PersonaReplySource,
                    new[] { ReplySources.Fallback, ReplySources.Closing }));
                Assert.True(load.Turns.Slowest < TimeSpan.FromSeconds(FaultsFixture.PersonaTimeoutSeconds + 8), $"a turn took {load.Turns.Slowest}");
                Assert.Equal(ReplySources.Fallback, probed.Source);
                // The judgement is the model-free engine's: the same reply in the same moment scores the same.
                Assert.Equal(healthy.Judgement, probed.Judgement);
            }
        }
        finally
        {
            system.Ollama.Reset();
        }
    }

    /// <summary>The first turn of a new session on the Lego rocket scenario: the same moment every time.</summary>
    /// <returns>The judgement as the raw wire (compared byte for byte: a contract's lists compare by reference) and the reply's source.</returns>
    private async Task<(string Judgement, string Source)> ProbeAsync(HttpClient http, string token, string text)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { scenario = Scenarios[0] }) };
        start.Headers.Authorization = new("Bearer", token);
        using var started = await http.SendAsync(start, Ct);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync(Ct));
        var session = (await started.Content.ReadFromJsonAsync<SessionView>(Ct))!.Id;
        using var turn = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/turns") { Content = JsonContent.Create(new { text }) };
        turn.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(turn, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{system.RecentApiErrors()}");
        var saved = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("turn");
        return (saved.GetProperty("judgement").GetRawText(), saved.Deserialize<TurnView>(JsonSerializerOptions.Web)!.PersonaReplySource);
    }

    /// <summary>Acknowledged turns that are not in the database.</summary>
    private async Task<int> LostTurnsAsync(FaultLoad load)
    {
        var acknowledged = load.AcknowledgedTurns.Distinct().ToArray();
        // Unpooled: a pooled connection from before a restart would be a dead one (57P01 on first use).
        var unpooled = new NpgsqlConnectionStringBuilder(system.Postgres.ConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("select count(*) from session_turns where id = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = acknowledged });
        var found = (long)(await command.ExecuteScalarAsync(Ct))!;
        return acknowledged.Length - (int)found;
    }

    private void Report(string fault, FaultLoad load, int lost)
    {
        var line = $"{fault}: {load.Summary()}; data lost: {lost} turns";
        if (load.Turns.Failed > load.Turns.FailedRetryable || load.Turns.Succeeded == 0 || load.Turns.Failed > 20)
        {
            TestContext.Current.SendDiagnosticMessage("API errors:\n" + system.RecentApiErrors());
            TestContext.Current.SendDiagnosticMessage("First failures:\n" + string.Join("\n", load.Turns.Failures.Take(5)));
        }
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.AddAttachment(fault, line);
        var directory = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "faults");
        Directory.CreateDirectory(directory);
        File.AppendAllText(Path.Combine(directory, "report.md"), $"- {DateTimeOffset.UtcNow:u} {line}{Environment.NewLine}");
    }
}
