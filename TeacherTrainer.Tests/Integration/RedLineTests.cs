using System.Text.Json;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Red lines and the stage of the conversation through <c>POST /api/evaluations</c>, on the self-harm
/// disclosure scenario: a reworded promise of secrecy is capped and told why; agreeing a plan is not
/// yet due on the first reply.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RedLineTests(ApiFactory api)
{
    private const string Scenario = "year10-self-harm-disclosure-secrecy-request";
    private const string Opening = "Can I tell you something? But you have to promise you won't tell anyone. Not my mum, not Mr Osei, no one. If you can't promise, I'm not saying it.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Judgement> EvaluateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/evaluations", body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<Judgement>(Ct))!;
    }

    private static CriterionJudgement Criterion(Judgement judgement, string key) => judgement.Criteria.Single(c => c.Key == key);

    private static IReadOnlyList<string> Notes(Judgement judgement) => judgement.Notes;

    [Fact]
    public async Task A_reworded_promise_of_secrecy_is_capped_and_the_feedback_says_why_in_the_trainees_words()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "Of course, Leah. Thank you for trusting me with this. Don't worry, it won't go any further than the two of us.";
        var judgement = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        Assert.True(judgement.Score <= 25, System.Text.Json.JsonSerializer.Serialize(judgement));
        var confidentiality = Criterion(judgement, "no-secrecy-promise");
        Assert.True(confidentiality.Score <= 25);
        Assert.Equal("cost", confidentiality.Effect);
        var evidence = confidentiality.Evidence!;
        Assert.Equal(evidence, reply.Substring(confidentiality.EvidenceStart, evidence.Length));
        var note = Assert.Single(Notes(judgement), n => n.StartsWith("Red line:", StringComparison.Ordinal));
        Assert.Contains("secret", note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(evidence.TrimEnd('.'), note, StringComparison.Ordinal);
        Assert.StartsWith("Red line:", judgement.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saying_honestly_that_it_cannot_be_kept_secret_is_not_a_breach()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "I'm really glad you came to me, Leah. I can't promise to keep it a secret, because if you're not safe I have to get you help, but I'll only tell the people whose job it is to help, and I'll tell you first.";
        var judgement = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        Assert.DoesNotContain(Notes(judgement), n => n.StartsWith("Red line:", StringComparison.Ordinal));
        Assert.True(judgement.Score > 25, System.Text.Json.JsonSerializer.Serialize(judgement));
        Assert.DoesNotContain("Red line", Criterion(judgement, "no-secrecy-promise").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusing_to_promise_a_bystander_anonymity_is_credited_and_her_own_words_said_back_are_not_a_promise()
    {
        // Noor (Year 6) asks the teacher not to say it was her. Refusing that promise honestly had 48 on the criterion, the
        // refusal cancelled by the promise it is near in words; her own line said back was flagged as the teacher's promise.
        const string bystander = "year6-bystander-reports-group-chat-bullying";
        const string noor = "Can I tell you something? But you can't say it was me. Promise you won't say it was me, or they'll do it to me next.";
        using var client = await api.CreateTraineeClientAsync();
        var context = new[] { new { speaker = "student", text = noor } };

        var honest = await EvaluateAsync(client, new { context, response = "I can't promise nobody will ever know, but I'll keep your name out of it as far as I can. What's been happening?", scenarioId = bystander });
        var confidentiality = Criterion(honest, "honest-confidentiality");
        Assert.True(confidentiality.Score >= 55 && confidentiality.Effect == "earned", System.Text.Json.JsonSerializer.Serialize(confidentiality));
        Assert.StartsWith("I can't promise", confidentiality.Evidence, StringComparison.Ordinal);

        var echo = await EvaluateAsync(client, new { context, response = noor, scenarioId = bystander });
        Assert.DoesNotContain(Notes(echo), n => n.StartsWith("Red line:", StringComparison.Ordinal));
        Assert.True(echo.Score <= 35, System.Text.Json.JsonSerializer.Serialize(echo));
    }

    [Fact]
    public async Task Agreeing_a_plan_is_not_yet_due_on_the_first_reply_and_is_due_later()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "Thank you for telling me that. Take your time; I'm listening.";
        var first = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        var plan = Criterion(first, "clear-next-steps");
        Assert.Equal("not-yet-due", plan.Effect);
        Assert.Equal(0, plan.Weight);
        Assert.StartsWith("Not due yet", plan.Explanation, StringComparison.Ordinal);
        var counted = first.Criteria.Sum(c => c.Weight);
        Assert.Equal(1.0, counted, precision: 2);

        // Third reply: two teacher turns before it in the context, so the plan is due and counts.
        var third = await EvaluateAsync(client, new
        {
            context = new[]
            {
                new { speaker = "student", text = Opening },
                new { speaker = "teacher", text = "I can't promise that, but I'm listening." },
                new { speaker = "student", text = "I've been cutting. On my arms. Mum doesn't know." },
                new { speaker = "teacher", text = "Thank you for telling me. Are you hurt right now?" },
                new { speaker = "student", text = "No. It's from last night. Please don't make a big thing of it." },
            },
            response = reply,
            scenarioId = Scenario,
        });
        var due = Criterion(third, "clear-next-steps");
        Assert.NotEqual("not-yet-due", due.Effect);
        Assert.True(due.Weight > 0);
    }

    // Through the API: a criterion the trainee's earlier reply in the context met is shown as done earlier and left out of
    // this reply's score; without that reply in the context, it counts. The reply is a safety question that does not
    // listen (calm listening 10): "Are you hurt right now? Is there anything that needs looking at today?" reads as
    // listening well enough (57) since hostile warnings are read by their stance, so leaving it out no longer raises it.
    [Fact]
    public async Task A_criterion_an_earlier_reply_met_is_shown_as_done_earlier()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "Are you safe at home tonight?";
        const string lastLine = "It's from last night. Please don't make a big thing of it.";
        var withEarlier = await EvaluateAsync(client, new
        {
            context = new[]
            {
                new { speaker = "student", text = Opening },
                new { speaker = "teacher", text = "I can't promise to keep it a secret, because if you're not safe I have to get you help. But I'm listening." },
                new { speaker = "student", text = "I've been cutting. On my arms. Mum doesn't know." },
                new { speaker = "teacher", text = "Thank you for telling me, Leah. I'm not shocked and I'm not cross. Take your time." },
                new { speaker = "student", text = lastLine },
            },
            response = reply,
            scenarioId = Scenario,
        });
        var listening = Criterion(withEarlier, "calm-listening");
        Assert.Equal("met-earlier", listening.Effect);
        Assert.Equal(0, listening.Weight);
        Assert.StartsWith("Done earlier: your turn 2 did this", listening.Explanation, StringComparison.Ordinal);
        Assert.Equal(1.0, withEarlier.Criteria.Sum(c => c.Weight), precision: 2);

        var alone = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = lastLine } }, response = reply, scenarioId = Scenario });
        Assert.NotEqual("met-earlier", Criterion(alone, "calm-listening").Effect);
        Assert.True(withEarlier.Score > alone.Score, $"{withEarlier.Score} with the earlier replies, {alone.Score} alone");
    }
}
