using System.Text.Json;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>"Try that turn again" (POST /api/sessions/{id}/turns/last/retry) on the real database, reply bank.</summary>
[Collection(ApiCollection.Name)]
public sealed class TurnRetryTests(ApiFactory api)
{
    private const string Scenario = "year1-lego-rocket-tidy-up-refusal";
    private const string Good = "I can see you're really cross that your rocket isn't finished. You worked so hard on it.";
    private const string Rude = "Stop whining and put it in the box right now.";
    private const string Better = "So you're worried someone will break it if it goes back in the box?";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Retry(Guid id) => $"/api/sessions/{id}/turns/last/retry";

    [Fact]
    public async Task The_last_turn_is_kept_as_retried_and_the_next_reply_takes_its_place()
    {
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        Guid cohortId;
        await using (var scope = api.CreateScope()) cohortId = (await TestData.AddCohortAsync(api.Db(scope), instructor.Id, trainee.Id)).Id;
        using var client = await api.CreateClientForAsync(trainee.Id);
        var id = (await SessionApi.StartAsync(client, Scenario)).GetProperty("id").GetGuid();
        var first = (await SessionApi.TurnAsync(client, id, Good)).GetProperty("turn");
        var rude = (await SessionApi.TurnAsync(client, id, Rude)).GetProperty("turn");

        using var retried = await client.PostAsync(Retry(id), null, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var session = await retried.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // The persona is back where it was before the rude turn; only one turn counts.
        Assert.Equal(1, session.GetProperty("turnCount").GetInt32());
        Assert.Equal(rude.GetProperty("stateBefore").GetRawText(), session.GetProperty("state").GetRawText());
        // The persona's goals are back to what the first turn had met, whatever the retried turn met.
        Assert.Equal(
            first.GetProperty("goalsMet").EnumerateArray().Select(g => g.GetString()).Order().ToList(),
            session.GetProperty("personaGoals").EnumerateArray().Where(g => g.GetProperty("met").GetBoolean()).Select(g => g.GetProperty("key").GetString()).Order().ToList());
        var turns = session.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(2, turns.Count);
        Assert.False(Retried(turns[0]));
        Assert.True(Retried(turns[1]));
        Assert.Equal(rude.GetProperty("score").GetInt32(), turns[1].GetProperty("score").GetInt32());

        // The next reply takes the retried turn's place, and is judged in the context without it.
        var again = (await SessionApi.TurnAsync(client, id, Better)).GetProperty("turn");
        Assert.Equal(1, again.GetProperty("index").GetInt32());
        Assert.Equal(first.GetProperty("personaReply").GetString(), again.GetProperty("personaPrompt").GetString());
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal(2, view.GetProperty("turnCount").GetInt32());
        var texts = view.GetProperty("turns").EnumerateArray().Select(t => (t.GetProperty("traineeText").GetString(), Retried(t))).ToList();
        Assert.Equal([(Good, false), (Rude, true), (Better, false)], texts);

        // The summary and the score leave the retried turn out; the instructor's review shows it as retried.
        using var ended = await client.PostAsync($"/api/sessions/{id}/end", null, Ct);
        var summary = (await ended.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("turns").GetInt32());
        var expected = (int)Math.Round((first.GetProperty("score").GetInt32() + again.GetProperty("score").GetInt32()) / 2.0);
        Assert.Equal(expected, summary.GetProperty("overallScore").GetInt32());
        // (Practised outside any assignment, the session is the instructor's to see once the trainee shares it.)
        (await client.PutAsJsonAsync($"/api/sessions/{id}/sharing", new { cohortIds = new[] { cohortId }, reflection = false }, Ct)).EnsureSuccessStatusCode();
        using var instructorClient = await api.CreateClientForAsync(instructor.Id);
        var review = await instructorClient.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{id}", Ct);
        Assert.Equal([false, true, false], review.GetProperty("turns").EnumerateArray().Select(Retried).ToList());

        // Once ended, nothing can be tried again.
        await AssertProblemAsync(await client.PostAsync(Retry(id), null, Ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_the_owner_may_retry_and_only_after_a_turn()
    {
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var classmate = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var otherInstructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var otherTrainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        await using (var scope = api.CreateScope())
        {
            await TestData.AddCohortAsync(api.Db(scope), instructor.Id, trainee.Id, classmate.Id);
            await TestData.AddCohortAsync(api.Db(scope), otherInstructor.Id, otherTrainee.Id);
        }
        using var owner = await api.CreateClientForAsync(trainee.Id);
        var id = (await SessionApi.StartAsync(owner, Scenario)).GetProperty("id").GetGuid();
        await AssertProblemAsync(await owner.PostAsync(Retry(id), null, Ct), HttpStatusCode.Conflict);
        await SessionApi.TurnAsync(owner, id, Good);

        foreach (var userId in new[] { classmate.Id, otherTrainee.Id, instructor.Id, otherInstructor.Id })
        {
            using var other = await api.CreateClientForAsync(userId);
            await AssertProblemAsync(await other.PostAsync(Retry(id), null, Ct), HttpStatusCode.NotFound);
        }
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Retry(id), null, Ct)).StatusCode);
        await AssertProblemAsync(await owner.PostAsync(Retry(Guid.NewGuid()), null, Ct), HttpStatusCode.NotFound);

        var view = await owner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal(1, view.GetProperty("turnCount").GetInt32());
        Assert.All(view.GetProperty("turns").EnumerateArray(), t => Assert.False(Retried(t)));
    }

    /// <summary>Whether a turn is marked retried (nulls are left out of the API's JSON).</summary>
    private static bool Retried(JsonElement turn)
        => turn.TryGetProperty("retriedAt", out var at) && at.ValueKind != JsonValueKind.Null;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        }
    }
}
