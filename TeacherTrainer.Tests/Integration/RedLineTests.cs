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

    private static async Task<JsonElement> EvaluateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/evaluations", body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static JsonElement Criterion(JsonElement judgement, string key)
        => judgement.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("key").GetString() == key);

    private static IReadOnlyList<string> Notes(JsonElement judgement)
        => judgement.TryGetProperty("notes", out var notes) ? notes.EnumerateArray().Select(n => n.GetString()!).ToList() : [];

    [Fact]
    public async Task A_reworded_promise_of_secrecy_is_capped_and_the_feedback_says_why_in_the_trainees_words()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "Of course, Leah. Thank you for trusting me with this. Don't worry, it won't go any further than the two of us.";
        var judgement = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        Assert.True(judgement.GetProperty("score").GetInt32() <= 25, judgement.GetRawText());
        var confidentiality = Criterion(judgement, "no-secrecy-promise");
        Assert.True(confidentiality.GetProperty("score").GetInt32() <= 25);
        Assert.Equal("cost", confidentiality.GetProperty("effect").GetString());
        var evidence = confidentiality.GetProperty("evidence").GetString()!;
        Assert.Equal(evidence, reply.Substring(confidentiality.GetProperty("evidenceStart").GetInt32(), evidence.Length));
        var note = Assert.Single(Notes(judgement), n => n.StartsWith("Red line:", StringComparison.Ordinal));
        Assert.Contains("secret", note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(evidence.TrimEnd('.'), note, StringComparison.Ordinal);
        Assert.StartsWith("Red line:", judgement.GetProperty("suggestion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saying_honestly_that_it_cannot_be_kept_secret_is_not_a_breach()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "I'm really glad you came to me, Leah. I can't promise to keep it a secret, because if you're not safe I have to get you help, but I'll only tell the people whose job it is to help, and I'll tell you first.";
        var judgement = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        Assert.DoesNotContain(Notes(judgement), n => n.StartsWith("Red line:", StringComparison.Ordinal));
        Assert.True(judgement.GetProperty("score").GetInt32() > 25, judgement.GetRawText());
        Assert.DoesNotContain("Red line", Criterion(judgement, "no-secrecy-promise").GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agreeing_a_plan_is_not_yet_due_on_the_first_reply_and_is_due_later()
    {
        using var client = await api.CreateTraineeClientAsync();
        const string reply = "Thank you for telling me that. Take your time; I'm listening.";
        var first = await EvaluateAsync(client, new { context = new[] { new { speaker = "student", text = Opening } }, response = reply, scenarioId = Scenario });

        var plan = Criterion(first, "clear-next-steps");
        Assert.Equal("not-yet-due", plan.GetProperty("effect").GetString());
        Assert.Equal(0, plan.GetProperty("weight").GetDouble());
        Assert.StartsWith("Not due yet", plan.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var counted = first.GetProperty("criteria").EnumerateArray().Sum(c => c.GetProperty("weight").GetDouble());
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
        Assert.NotEqual("not-yet-due", due.GetProperty("effect").GetString());
        Assert.True(due.GetProperty("weight").GetDouble() > 0);
    }
}
