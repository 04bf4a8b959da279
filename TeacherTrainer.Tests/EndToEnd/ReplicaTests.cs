using System.Net.Http.Headers;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.EndToEnd;

/// <summary>
/// Beyond one machine: the API and the web front end as two replicas each under the AppHost. A
/// trainee's session continues whichever replica answers, tokens and refresh tokens issued by one
/// are honoured (and revoked) by the other, and the output cache is shared.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaTests(ReplicasFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Replies =
    [
        "I can see you're really cross that your rocket isn't finished.",
        "So you're worried someone will break it if it goes back in the box?",
        "Would you like to put it on the special shelf or in your tray, so it stays safe?",
        "Let's make a name label together, and you can finish it at golden time.",
        "You carried it so carefully to the shelf. That was really grown-up.",
        "Thank you for listening. Shall we walk to the carpet together now?",
        "You did a brilliant job looking after your rocket today.",
        "What colour will the top of the rocket be when you finish it?",
    ];

    private static HttpClient Client(Uri address, string? token = null)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Each_project_runs_as_two_replicas_and_every_replica_serves()
    {
        foreach (var resource in new[] { "apiservice", "webfrontend" })
        {
            var addresses = await system.ReplicaAddressesAsync(resource, Ct);
            TestContext.Current.SendDiagnosticMessage($"{resource} replicas: {string.Join(", ", addresses)}");
            Assert.Equal(ReplicasFixture.Replicas, addresses.Distinct().Count());
            foreach (var address in addresses)
            {
                using var client = Client(address);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
                if (resource == "webfrontend") Assert.Contains("TeacherTrainer", await client.GetStringAsync("/", Ct));
            }
        }
    }

    [Fact]
    public async Task A_session_continues_whichever_replica_answers_and_tokens_work_on_both()
    {
        var replicas = await system.ReplicaAddressesAsync("apiservice", Ct);
        Assert.Equal(2, replicas.Count);
        using var anonymousA = Client(replicas[0]);
        var signUp = await anonymousA.PostAsJsonAsync("/api/auth/signup",
            new { email = $"r{Guid.NewGuid():N}"[..16] + "@replicas.local", password = $"Tt-{Guid.NewGuid():N}", displayName = "Replica trainee" }, Ct);
        Assert.True(signUp.IsSuccessStatusCode, await signUp.Content.ReadAsStringAsync(Ct));
        var tokens = (await signUp.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        var access = tokens.AccessToken;

        // Signed up on A; the session starts on B and its turns alternate between them.
        using var a = Client(replicas[0], access);
        using var b = Client(replicas[1], access);
        var started = await b.PostAsJsonAsync("/api/sessions", new { scenario = "year1-lego-rocket-tidy-up-refusal" }, Ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var session = (await started.Content.ReadFromJsonAsync<SessionView>(Ct))!.Id;
        var taken = 0;
        foreach (var reply in Replies)
        {
            var replica = taken % 2 == 0 ? a : b;
            var response = await replica.PostAsJsonAsync($"/api/sessions/{session}/turns", new { text = reply }, Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            var result = (await response.Content.ReadFromJsonAsync<TurnResult>(Ct))!;
            // Each replica saw every turn the other saved: the indexes run on without a gap or a repeat.
            Assert.Equal(taken, result.Turn.Index);
            taken++;
            if (result.SessionStatus == SessionStatus.Completed) break;
        }
        foreach (var replica in new[] { a, b })
        {
            var read = (await replica.GetFromJsonAsync<SessionView>($"/api/sessions/{session}", Ct))!;
            Assert.Equal(taken, read.Turns.Count);
        }

        // The output cache is shared: what one replica stored, the other serves (its key holds neither
        // the Host header nor any query parameter the catalog does not read).
        var url = $"/api/scenarios?category=replica-probe-{Guid.NewGuid():N}";
        Assert.False((await a.GetAsync(url, Ct)).Headers.Contains("X-Cache"));
        Assert.Equal("HIT", Assert.Single((await b.GetAsync(url, Ct)).Headers.GetValues("X-Cache")));

        // A refresh token issued by A is redeemed on B, and its reuse on A is refused (one shared store).
        var refresh = tokens.RefreshToken;
        using var anonymousB = Client(replicas[1]);
        var refreshed = await anonymousB.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh }, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        // After the grace window for tabs renewing together, A knows it was used on B.
        await Task.Delay(ReplicasFixture.RefreshGrace + TimeSpan.FromSeconds(1), Ct);
        var reused = await anonymousA.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);

        // Signing out on B revokes the access token on A too, within A's security-stamp cache time.
        var fresh = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Ct))!.AccessToken;
        using var freshA = Client(replicas[0], fresh);
        using var freshB = Client(replicas[1], fresh);
        Assert.Equal(HttpStatusCode.OK, (await freshA.GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.True((await freshB.PostAsync("/api/auth/signout", null, Ct)).IsSuccessStatusCode);
        await Task.Delay(ReplicasFixture.StampCache + TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await freshA.GetAsync("/api/auth/me", Ct)).StatusCode);
    }
}
