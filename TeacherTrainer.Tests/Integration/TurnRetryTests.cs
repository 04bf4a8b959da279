using Microsoft.AspNetCore.Mvc;
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
        var id = (await SessionApi.StartSessionAsync(client, Scenario)).Id;
        var first = (await SessionApi.TakeTurnAsync(client, id, Good)).Turn;
        var rude = (await SessionApi.TakeTurnAsync(client, id, Rude)).Turn;

        using var retried = await client.PostAsync(Retry(id), null, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var session = (await retried.Content.ReadFromJsonAsync<SessionView>(Ct))!;
        // The persona is back where it was before the rude turn; only one turn counts.
        Assert.Equal(1, session.TurnCount);
        Assert.Equal(rude.StateBefore, session.State);
        // The persona's goals are back to what the first turn had met, whatever the retried turn met.
        Assert.Equal(
            (first.GoalsMet ?? []).Order().ToList(),
            session.PersonaGoals!.Where(g => g.Met).Select(g => g.Key).Order().ToList());
        var turns = session.Turns;
        Assert.Equal(2, turns.Count);
        Assert.False(turns[0].Retried);
        Assert.True(turns[1].Retried);
        Assert.Equal(rude.Score, turns[1].Score);

        // The next reply takes the retried turn's place, and is judged in the context without it.
        var again = (await SessionApi.TakeTurnAsync(client, id, Better)).Turn;
        Assert.Equal(1, again.Index);
        Assert.Equal(first.PersonaReply, again.PersonaPrompt);
        var view = (await client.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        Assert.Equal(2, view.TurnCount);
        var texts = view.Turns.Select(t => (t.TraineeText, t.Retried)).ToList();
        Assert.Equal([(Good, false), (Rude, true), (Better, false)], texts);

        // The summary and the score leave the retried turn out; the instructor's review shows it as retried.
        using var ended = await client.PostAsync($"/api/sessions/{id}/end", null, Ct);
        var summary = (await ended.Content.ReadFromJsonAsync<SessionView>(Ct))!.Summary!;
        Assert.Equal(2, summary.Turns);
        var expected = (int)Math.Round((first.Score + again.Score) / 2.0);
        Assert.Equal(expected, summary.OverallScore);
        // (Practised outside any assignment, the session is the instructor's to see once the trainee shares it.)
        (await client.PutAsJsonAsync($"/api/sessions/{id}/sharing", new { cohortIds = new[] { cohortId }, reflection = false }, Ct)).EnsureSuccessStatusCode();
        using var instructorClient = await api.CreateClientForAsync(instructor.Id);
        var review = (await instructorClient.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{id}", Ct))!;
        Assert.Equal([false, true, false], review.Turns.Select(t => t.Retried).ToList());

        // Once ended, nothing can be tried again.
        await AssertProblemAsync(await client.PostAsync(Retry(id), null, Ct), HttpStatusCode.Conflict, "Session has ended");
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
        var id = (await SessionApi.StartSessionAsync(owner, Scenario)).Id;
        await AssertProblemAsync(await owner.PostAsync(Retry(id), null, Ct), HttpStatusCode.Conflict, "No turn to try again");
        await SessionApi.TakeTurnAsync(owner, id, Good);

        foreach (var userId in new[] { classmate.Id, otherTrainee.Id, instructor.Id, otherInstructor.Id })
        {
            using var other = await api.CreateClientForAsync(userId);
            await AssertProblemAsync(await other.PostAsync(Retry(id), null, Ct), HttpStatusCode.NotFound, "Unknown session");
        }
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Retry(id), null, Ct)).StatusCode);
        await AssertProblemAsync(await owner.PostAsync(Retry(Guid.NewGuid()), null, Ct), HttpStatusCode.NotFound, "Unknown session");

        var view = (await owner.GetFromJsonAsync<SessionView>($"/api/sessions/{id}", Ct))!;
        Assert.Equal(1, view.TurnCount);
        Assert.All(view.Turns, t => Assert.False(t.Retried));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
            Assert.Equal((int)status, problem.Status);
            Assert.Equal(title, problem.Title);
        }
    }
}
