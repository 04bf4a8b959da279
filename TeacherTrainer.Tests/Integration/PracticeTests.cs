using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>The practice loop through the API on the real database, in embedded mode (reply bank).</summary>
[Collection(ApiCollection.Name)]
public sealed class PracticeTests(ApiFactory api)
{
    private const string Scenario = "year1-lego-rocket-tidy-up-refusal";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] GoodReplies =
    [
        "I can see you're really cross that your rocket isn't finished. You worked so hard on it.",
        "So you're worried someone will break it if it goes back in the box?",
        "Would you like to put it on the special shelf or in your tray, so it stays safe?",
        "Let's make a name label together, and you can finish it at golden time this afternoon.",
        "You carried it so carefully to the shelf. That was really grown-up.",
        "What colour do you think the top of the rocket should be when you finish it?",
        "Thank you for listening. Shall we walk to the carpet together now?",
        "You did a brilliant job looking after your rocket today.",
    ];

    [Fact]
    public async Task A_trainee_runs_a_full_session_and_reads_its_summary()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var client = await api.CreateClientForAsync(user.Id);
        var session = await SessionApi.StartAsync(client, Scenario);
        var id = session.GetProperty("id").GetGuid();
        Assert.Equal("active", session.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(session.GetProperty("openingLine").GetString()));
        var initialEscalation = session.GetProperty("state").GetProperty("escalation").GetDouble();

        var personaLines = new List<string>();
        JsonElement last = default;
        foreach (var reply in GoodReplies)
        {
            last = await SessionApi.TurnAsync(client, id, reply);
            var turn = last.GetProperty("turn");
            Assert.Equal(personaLines.Count, turn.GetProperty("index").GetInt32());
            Assert.InRange(turn.GetProperty("score").GetInt32(), 0, 100);
            Assert.NotEmpty(turn.GetProperty("judgement").GetProperty("criteria").EnumerateArray());
            Assert.Contains(turn.GetProperty("personaReplySource").GetString(), new[] { "reply-bank", "closing-line" });
            personaLines.Add(turn.GetProperty("personaReply").GetString()!);
            if (last.GetProperty("sessionStatus").GetString() == "completed") break;
        }

        Assert.Equal("completed", last.GetProperty("sessionStatus").GetString());
        Assert.Contains(last.GetProperty("endReason").GetString(), new[] { "goals-met", "turn-limit" });
        Assert.Equal(personaLines.Count, personaLines.Distinct().Count());
        var finalState = last.GetProperty("turn").GetProperty("stateAfter");
        Assert.True(finalState.GetProperty("escalation").GetDouble() < initialEscalation, "warm, specific replies should calm the persona");

        var read = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal(personaLines.Count, read.GetProperty("turns").GetArrayLength());
        var summary = read.GetProperty("summary");
        Assert.InRange(summary.GetProperty("overallScore").GetInt32(), 0, 100);
        Assert.Contains(summary.GetProperty("criteria").EnumerateArray(), c => c.GetProperty("key").GetString() == "uptake");
        var weakest = summary.GetProperty("weakestTurn");
        Assert.False(string.IsNullOrWhiteSpace(weakest.GetProperty("expertExample").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(summary.GetProperty("reflectionPrompt").GetString()));
        Assert.NotEqual(Scenario, summary.GetProperty("suggestedNext").GetProperty("slug").GetString());

        var reflected = await client.PutAsJsonAsync($"/api/sessions/{id}/reflection", new { text = "I should have named his feeling before the rule." }, Ct);
        Assert.Equal(HttpStatusCode.OK, reflected.StatusCode);
        Assert.Equal("I should have named his feeling before the rule.", (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct)).GetProperty("reflection").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>("/api/sessions", Ct);
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);

        var progress = await client.GetFromJsonAsync<JsonElement>("/api/progress", Ct);
        Assert.Equal(1, progress.GetProperty("totals").GetProperty("completed").GetInt32());
        Assert.Contains(progress.GetProperty("skills").EnumerateArray(), s => s.GetProperty("key").GetString() == "uptake" && s.GetProperty("points").GetArrayLength() == 1);
        Assert.Contains(progress.GetProperty("categories").EnumerateArray(), c => c.GetProperty("category").GetString() == "classroom-disruption" && c.GetProperty("scenariosPractised").GetInt32() == 1);
        Assert.NotEqual(Guid.Empty, user.Id);
    }

    [Fact]
    public async Task A_turn_streams_the_judgement_first_then_the_saved_turn()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartAsync(client, Scenario)).GetProperty("id").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/turns") { Content = JsonContent.Create(new { text = GoodReplies[0] }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(response, Ct)) events.Add(e);
        Assert.Equal("judgement", events[0].Type);
        Assert.Equal("turn", events[^1].Type);
        var judged = JsonNode.Parse(events[0].Data)!;
        var saved = JsonNode.Parse(events[^1].Data)!;
        Assert.Equal(judged["judgement"]!["score"]!.GetValue<int>(), saved["turn"]!["score"]!.GetValue<int>());
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct)).GetProperty("turnCount").GetInt32());
    }

    [Fact]
    public async Task Nobody_else_can_read_or_use_a_session()
    {
        var owner = await api.CreateTraineeClientAsync();
        var other = await api.CreateTraineeClientAsync();
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        var id = (await SessionApi.StartAsync(owner, Scenario)).GetProperty("id").GetGuid();
        await SessionApi.TurnAsync(owner, id, GoodReplies[0]);

        foreach (var client in new[] { other, instructor })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new { text = "hello" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/sessions/{id}/end", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/sessions/{id}/reflection", new { text = "x" }, Ct)).StatusCode);
        }
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct)).GetProperty("turnCount").GetInt32());
    }

    [Fact]
    public async Task An_ended_session_takes_no_more_turns()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartAsync(client, Scenario)).GetProperty("id").GetGuid();
        await SessionApi.TurnAsync(client, id, GoodReplies[0]);
        var ended = await client.PostAsync($"/api/sessions/{id}/end", null, Ct);
        var view = await ended.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("ended-by-trainee", view.GetProperty("endReason").GetString());
        Assert.True(view.TryGetProperty("summary", out _));

        var refused = await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new { text = "one more" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Turns_sent_at_once_never_share_an_index_and_never_fail_with_500()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartAsync(client, Scenario)).GetProperty("id").GetGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.PostAsJsonAsync($"/api/sessions/{id}/turns", new { text = GoodReplies[i] }, Ct)));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        var indices = view.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(indices.Count, indices.Distinct().Count());
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.OK), indices.Count);
    }

    [Fact]
    public async Task Editing_a_scenario_never_changes_the_results_of_sessions_already_held()
    {
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        var client = await api.CreateTraineeClientAsync();
        // A scenario of its own, so other tests never see its versions change.
        var document = await instructor.GetFromJsonAsync<JsonObject>($"/api/scenarios/{Scenario}/document", Ct);
        var slug = $"pinning-{Guid.NewGuid():N}"[..24];
        document!["slug"] = slug;
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct)).StatusCode);
        // A draft until it is published; trainees practise only published scenarios (here, the library: an admin publishes there).
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/scenarios/{slug}/publish", null, Ct)).StatusCode);

        var id = (await SessionApi.StartAsync(client, slug)).GetProperty("id").GetGuid();
        var before = (await SessionApi.TurnAsync(client, id, GoodReplies[0])).GetProperty("turn").GetProperty("judgement");

        // Version 2 rewrites the rubric's first criterion completely.
        document["rubric"]![0]!["positiveIndicators"] = new JsonArray("Put it away now.", "Do as you are told.", "No more talking about the rocket.");
        document["rubric"]![0]!["negativeIndicators"] = new JsonArray("I can see you're upset.", "Let's keep it safe on the shelf.", "You worked hard on it.");
        var published = await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct);
        Assert.Equal(2, (await published.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32());

        var second = (await SessionApi.TurnAsync(client, id, GoodReplies[0])).GetProperty("turn").GetProperty("judgement");
        Assert.Equal(before.GetProperty("basisReference").GetString(), second.GetProperty("basisReference").GetString());
        Assert.EndsWith("@v1", second.GetProperty("basisReference").GetString());
        var reread = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal(before.GetRawText(), reread.GetProperty("turns")[0].GetProperty("judgement").GetRawText());
        Assert.Equal(1, reread.GetProperty("scenario").GetProperty("version").GetInt32());

        var newSession = await SessionApi.StartAsync(client, slug);
        Assert.Equal(2, newSession.GetProperty("scenario").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Bad_practice_requests_get_problem_details()
    {
        var client = await api.CreateTraineeClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/sessions", new { scenario = "no-such-scenario" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/sessions", new { scenario = "" }, Ct)).StatusCode);
        var id = (await SessionApi.StartAsync(client, Scenario)).GetProperty("id").GetGuid();
        var tooLong = await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new { text = new string('x', 1001) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("text", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{Guid.NewGuid()}", Ct)).StatusCode);
    }
}
