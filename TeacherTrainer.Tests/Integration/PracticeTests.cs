using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
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
        var session = await SessionApi.StartSessionAsync(client, Scenario);
        var id = session.Id;
        Assert.Equal(SessionStatus.Active, session.Status);
        Assert.False(string.IsNullOrWhiteSpace(session.OpeningLine));
        var initialEscalation = session.State.Escalation;

        var personaLines = new List<string>();
        TurnResult? last = null;
        foreach (var reply in GoodReplies)
        {
            last = await SessionApi.TakeTurnAsync(client, id, reply);
            var turn = last.Turn;
            Assert.Equal(personaLines.Count, turn.Index);
            Assert.InRange(turn.Score, 0, 100);
            Assert.NotEmpty(turn.Judgement.Criteria);
            Assert.Contains(turn.PersonaReplySource, new[] { "reply-bank", "closing-line" });
            personaLines.Add(turn.PersonaReply);
            if (last.SessionStatus == SessionStatus.Completed) break;
        }

        Assert.Equal(SessionStatus.Completed, last!.SessionStatus);
        Assert.Contains(last.EndReason, new[] { "goals-met", "turn-limit" });
        Assert.Equal(personaLines.Count, personaLines.Distinct().Count());
        Assert.True(last.Turn.StateAfter.Escalation < initialEscalation, "warm, specific replies should calm the persona");

        var read = (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        Assert.Equal(personaLines.Count, read.Turns.Count);
        var summary = read.Summary!;
        Assert.InRange(summary.OverallScore, 0, 100);
        Assert.Equal(JudgementBands.For(summary.OverallScore), summary.Band);
        Assert.Contains(summary.Criteria, c => c.Key == "uptake");
        Assert.False(string.IsNullOrWhiteSpace(summary.WeakestTurn!.ExpertExample));
        Assert.False(string.IsNullOrWhiteSpace(summary.ReflectionPrompt));
        Assert.NotEqual(Scenario, summary.SuggestedNext!.Slug);

        var reflected = await client.PutAsJsonAsync($"/api/sessions/{id}/reflection", new ReflectionRequest("I should have named his feeling before the rule."), Ct);
        Assert.Equal(HttpStatusCode.OK, reflected.StatusCode);
        Assert.Equal("I should have named his feeling before the rule.", (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!.Reflection);

        var list = (await client.GetFromJsonAsync<List<SessionListItem>>("/api/sessions", Ct))!;
        Assert.Contains(list, s => s.Id == id && s.Status == SessionStatus.Completed);

        var progress = (await client.GetFromJsonAsync<ProgressView>("/api/progress", Ct))!;
        Assert.Equal(1, progress.Totals.Completed);
        Assert.Contains(progress.Skills, s => s.Key == "uptake" && s.Points.Count == 1);
        Assert.Contains(progress.Categories, c => c.Category == "classroom-disruption" && c.ScenariosPractised == 1);
        Assert.NotEqual(Guid.Empty, user.Id);
    }

    /// <summary>The wire itself: the closed sets travel as the same lower-case words the web app and older clients read.</summary>
    [Fact]
    public async Task Status_and_band_travel_as_their_lower_case_words()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        await SessionApi.TakeTurnAsync(client, id, GoodReplies[0]);
        // Raw JSON on purpose: this checks the wire spelling that the contracts' enums must keep.
        var raw = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal("active", raw.GetProperty("status").GetString());
        var turn = raw.GetProperty("turns")[0];
        Assert.Contains(turn.GetProperty("judgement").GetProperty("band").GetString(), new[] { "excellent", "strong", "developing", "weak", "poor" });
        Assert.Equal(turn.GetProperty("judgement").GetProperty("band").GetString(), turn.GetProperty("effectiveBand").GetString());
        Assert.False(turn.TryGetProperty("retried", out _), "a web convenience property must not travel");
    }

    [Fact]
    public async Task A_turn_streams_the_judgement_first_then_the_saved_turn()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/turns") { Content = JsonContent.Create(new TurnRequest(GoodReplies[0])) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(response, Ct)) events.Add(e);
        Assert.Equal("judgement", events[0].Type);
        Assert.Equal("turn", events[^1].Type);
        var judged = JsonSerializer.Deserialize<TurnJudged>(events[0].Data, JsonSerializerOptions.Web)!;
        var saved = JsonSerializer.Deserialize<TurnResult>(events[^1].Data, JsonSerializerOptions.Web)!;
        Assert.Equal(judged.Judgement.Score, saved.Turn.Score);
        Assert.Equal(judged.Judgement.Band, saved.Turn.Judgement.Band);
        Assert.Equal(1, (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!.TurnCount);
    }

    /// <summary>
    /// "Heard as" is the move the persona answered. This strong reply to the banter scenario's opening is sarcasm at 0.54 to
    /// the classifier alone, and the judge scores it 75: the persona hears it as kind, so the trainee is not told it was
    /// sarcasm, and the turn does not keep a harm that a later apology would "repair".
    /// </summary>
    [Fact]
    public async Task A_reply_the_judge_scores_well_is_not_shown_as_harmful()
    {
        const string reply = "You might well have meant it as a joke, and I don't think you're a bad lad. But banter only works when both people are enjoying it. What makes you think Theo is?";
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartSessionAsync(client, "year8-weight-nickname-its-just-banter")).Id;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/turns") { Content = JsonContent.Create(new TurnRequest(reply)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(response, Ct)) events.Add(e);

        var judged = JsonSerializer.Deserialize<TurnJudged>(events[0].Data, JsonSerializerOptions.Web)!;
        var saved = JsonSerializer.Deserialize<TurnResult>(events[^1].Data, JsonSerializerOptions.Web)!.Turn;
        Assert.True(judged.Judgement.Score >= 60, $"scored {judged.Judgement.Score}");
        string[] harmful = ["sarcasm", "threat", "dismissal"];
        Assert.DoesNotContain(judged.Move, harmful);
        Assert.DoesNotContain(judged.AlsoDetected, harmful.Contains);
        Assert.Equal(judged.Move, saved.Move);
        Assert.DoesNotContain("sarcas", saved.MoveName, StringComparison.OrdinalIgnoreCase);
        var read = (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        Assert.Equal(judged.Move, read.Turns.Single().Move);
    }

    [Fact]
    public async Task Nobody_else_can_read_or_use_a_session()
    {
        var owner = await api.CreateTraineeClientAsync();
        var other = await api.CreateTraineeClientAsync();
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        var id = (await SessionApi.StartSessionAsync(owner, Scenario)).Id;
        await SessionApi.TakeTurnAsync(owner, id, GoodReplies[0]);

        foreach (var client in new[] { other, instructor })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new TurnRequest("hello"), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/sessions/{id}/end", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/sessions/{id}/reflection", new ReflectionRequest("x"), Ct)).StatusCode);
        }
        var problem = await (await other.PostAsync($"/api/sessions/{id}/end", null, Ct)).Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("Unknown session", problem!.Title);
        Assert.Equal(1, (await owner.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!.TurnCount);
    }

    [Fact]
    public async Task An_ended_session_takes_no_more_turns()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        await SessionApi.TakeTurnAsync(client, id, GoodReplies[0]);
        var ended = await client.PostAsync($"/api/sessions/{id}/end", null, Ct);
        var view = (await ended.Content.ReadFromJsonAsync<SessionView>(Ct))!;
        Assert.Equal("ended-by-trainee", view.EndReason);
        Assert.Equal(SessionStatus.Completed, view.Status);
        Assert.NotNull(view.Summary);

        var refused = await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new TurnRequest("one more"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Session has ended", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Title);
    }

    [Fact]
    public async Task Turns_sent_at_once_never_share_an_index_and_never_fail_with_500()
    {
        var client = await api.CreateTraineeClientAsync();
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.PostAsJsonAsync($"/api/sessions/{id}/turns", new TurnRequest(GoodReplies[i]), Ct)));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var view = (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        var indices = view.Turns.Select(t => t.Index).ToList();
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

        var id = (await SessionApi.StartSessionAsync(client, slug)).Id;
        var before = (await SessionApi.TakeTurnAsync(client, id, GoodReplies[0])).Turn.Judgement;

        // Version 2 rewrites the rubric's first criterion completely.
        document["rubric"]![0]!["positiveIndicators"] = new JsonArray("Put it away now.", "Do as you are told.", "No more talking about the rocket.");
        document["rubric"]![0]!["negativeIndicators"] = new JsonArray("I can see you're upset.", "Let's keep it safe on the shelf.", "You worked hard on it.");
        var published = await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct);
        Assert.Equal(2, (await published.Content.ReadFromJsonAsync<PublishedScenario>(Ct))!.Version);

        var second = (await SessionApi.TakeTurnAsync(client, id, GoodReplies[0])).Turn.Judgement;
        Assert.Equal(before.BasisReference, second.BasisReference);
        Assert.EndsWith("@v1", second.BasisReference);
        var reread = (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(reread.Turns[0].Judgement));
        Assert.Equal(1, reread.Scenario.Version);

        var newSession = await SessionApi.StartSessionAsync(client, slug);
        Assert.Equal(2, newSession.Scenario.Version);
    }

    [Fact]
    public async Task Bad_practice_requests_get_problem_details()
    {
        var client = await api.CreateTraineeClientAsync();
        var unknown = await client.PostAsJsonAsync("/api/sessions", new StartSessionRequest("no-such-scenario"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = (await unknown.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        Assert.Equal(("Unknown scenario", "There is no scenario 'no-such-scenario'."), (problem.Title, problem.Detail));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/sessions", new StartSessionRequest(""), Ct)).StatusCode);
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        var tooLong = await client.PostAsJsonAsync($"/api/sessions/{id}/turns", new TurnRequest(new string('x', 1001)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("text", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_assignment_of_another_cohort_or_scenario_is_refused_with_a_reason()
    {
        var client = await api.CreateTraineeClientAsync();
        var assignment = Guid.NewGuid();
        var refused = await client.PostAsJsonAsync("/api/sessions", new StartSessionRequest(Scenario, assignment), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = (await refused.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        Assert.Equal("Unknown assignment", problem.Title);
        Assert.Contains(assignment.ToString(), problem.Detail, StringComparison.Ordinal);
    }
}
