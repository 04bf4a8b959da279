using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Instructors' comments and score overrides, and the audit trail they leave.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReviewTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Overrides_keep_the_engine_score_and_leave_an_audit_trail_the_trainee_can_read()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Mr Byrne");
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Sam Trainee");
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id);
        var session = await TestData.AddSessionAsync(db, traineeUser.Id, (await TestData.AddAssignmentAsync(db, cohort.Id, instructorUser.Id)).Id);
        var turnId = session.Turns[0].Id;
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        var url = $"/api/review/turns/{turnId}/scores/{TestData.CriterionKey}";

        var first = await instructor.PutAsJsonAsync(url, new { score = 80, reason = "She named the student's worry before moving on." }, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var criterion = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(40, criterion.GetProperty("engineScore").GetInt32());
        Assert.Equal(80, criterion.GetProperty("overrideScore").GetInt32());
        Assert.Equal(80, criterion.GetProperty("effectiveScore").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync(url, new { score = 70, reason = "On reflection, a little generous." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync(url, new { score = (int?)null, reason = "Back to the engine's judgement." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.PutAsJsonAsync(url, new { score = 101, reason = "Too high" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.PutAsJsonAsync(url, new { score = 50 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await instructor.PutAsJsonAsync($"/api/review/turns/{turnId}/scores/no-such-criterion", new { score = 50, reason = "Nothing to override" }, Ct)).StatusCode);

        var stored = await db.TurnCriterionScores.AsNoTracking().SingleAsync(c => c.TurnId == turnId && c.CriterionKey == TestData.CriterionKey, Ct);
        Assert.Equal(40, stored.EngineScore);
        Assert.Null(stored.OverrideScore);

        // The trail: who, what from and to, why, when; in order; readable by the trainee.
        var trail = (await trainee.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}/overrides", Ct)).EnumerateArray().ToList();
        Assert.Equal(3, trail.Count);
        Assert.All(trail, a => Assert.Equal(instructorUser.Id, a.GetProperty("changedById").GetGuid()));
        Assert.All(trail, a => Assert.Equal("Mr Byrne", a.GetProperty("changedByName").GetString()));
        Assert.All(trail, a => Assert.Equal(40, a.GetProperty("engineScore").GetInt32()));
        Assert.Equal([null, 80, 70], trail.Select(a => a.TryGetProperty("previousScore", out var p) ? p.GetInt32() : (int?)null));
        Assert.Equal([80, 70, null], trail.Select(a => a.TryGetProperty("newScore", out var n) ? n.GetInt32() : (int?)null));
        Assert.Equal("On reflection, a little generous.", trail[1].GetProperty("reason").GetString());
        var times = trail.Select(a => a.GetProperty("changedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task Comments_reach_the_trainee_and_no_one_outside_the_cohort()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Dr Lin");
        var otherInstructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var otherTraineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructorUser.Id, traineeUser.Id, otherTraineeUser.Id);
        var assignment = await TestData.AddAssignmentAsync(api.Db(scope), cohort.Id, instructorUser.Id);
        var session = await TestData.AddSessionAsync(api.Db(scope), traineeUser.Id, assignment.Id);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var otherInstructor = await api.CreateClientForAsync(otherInstructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        using var classmate = await api.CreateClientForAsync(otherTraineeUser.Id);

        var posted = await instructor.PostAsJsonAsync($"/api/review/turns/{session.Turns[1].Id}/comments", new { text = "Try asking what happened at break first." }, Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var review = await trainee.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}", Ct);
        Assert.False(review.GetProperty("canReview").GetBoolean());
        var turn = review.GetProperty("turns")[1];
        var comment = Assert.Single(turn.GetProperty("comments").EnumerateArray());
        Assert.Equal("Dr Lin", comment.GetProperty("authorName").GetString());
        Assert.Equal("Try asking what happened at break first.", comment.GetProperty("text").GetString());
        Assert.Empty(review.GetProperty("turns")[0].GetProperty("comments").EnumerateArray());
        Assert.True((await instructor.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}", Ct)).GetProperty("canReview").GetBoolean());

        // Changing the id gets a classmate or another instructor nothing: not even that it exists.
        Assert.Equal(HttpStatusCode.NotFound, (await classmate.GetAsync($"/api/review/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherInstructor.GetAsync($"/api/review/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherInstructor.PostAsJsonAsync($"/api/review/turns/{session.Turns[0].Id}/comments", new { text = "Hello" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.PostAsJsonAsync($"/api/review/turns/{session.Turns[0].Id}/comments", new { text = "Self-praise" }, Ct)).StatusCode);
        Assert.Equal(1, await api.Db(scope).TurnComments.CountAsync(c => c.SessionId == session.Id, Ct));
    }
}
