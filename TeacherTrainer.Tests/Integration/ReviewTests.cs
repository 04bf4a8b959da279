using Microsoft.AspNetCore.Http;
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

        var first = await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(80, "She named the student's worry before moving on."), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var criterion = (await first.Content.ReadFromJsonAsync<CriterionView>(Ct))!;
        Assert.Equal((40, 80, 80), (criterion.EngineScore, criterion.OverrideScore, criterion.EffectiveScore));
        Assert.Equal("Mr Byrne", criterion.OverriddenBy);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(70, "On reflection, a little generous."), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(null, "Back to the engine's judgement."), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(101, "Too high"), Ct)).StatusCode);
        var decimals = await instructor.PutAsJsonAsync(url, new OverrideScoreRequest(5.5m, "Half a point more"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, decimals.StatusCode);
        Assert.Contains("score", (await decimals.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        // No reason at all: a body the contract cannot express (its reason is required), so sent as the raw wire.
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.PutAsJsonAsync(url, new { score = 50 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await instructor.PutAsJsonAsync($"/api/review/turns/{turnId}/scores/no-such-criterion", new OverrideScoreRequest(50, "Nothing to override"), Ct)).StatusCode);

        var stored = await db.TurnCriterionScores.AsNoTracking().SingleAsync(c => c.TurnId == turnId && c.CriterionKey == TestData.CriterionKey, Ct);
        Assert.Equal(40, stored.EngineScore);
        Assert.Null(stored.OverrideScore);

        // The trail: who, what from and to, why, when; in order; readable by the trainee.
        var trail = (await trainee.GetFromJsonAsync<List<OverrideAuditView>>($"/api/review/sessions/{session.Id}/overrides", Ct))!;
        Assert.Equal(3, trail.Count);
        Assert.All(trail, a => Assert.Equal(instructorUser.Id, a.ChangedById));
        Assert.All(trail, a => Assert.Equal("Mr Byrne", a.ChangedByName));
        Assert.All(trail, a => Assert.Equal(40, a.EngineScore));
        Assert.Equal([null, 80, 70], trail.Select(a => a.PreviousScore));
        Assert.Equal([80, 70, null], trail.Select(a => a.NewScore));
        Assert.Equal("On reflection, a little generous.", trail[1].Reason);
        var times = trail.Select(a => a.ChangedAt).ToList();
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

        var posted = await instructor.PostAsJsonAsync($"/api/review/turns/{session.Turns[1].Id}/comments", new AddCommentRequest("Try asking what happened at break first."), Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var review = (await trainee.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{session.Id}", Ct))!;
        Assert.False(review.CanReview);
        Assert.Equal(SessionStatus.Completed, review.Status);
        var turn = review.Turns[1];
        Assert.Equal(JudgementBands.For(turn.Score), turn.Band);
        var comment = Assert.Single(turn.Comments);
        Assert.Equal("Dr Lin", comment.AuthorName);
        Assert.Equal("Try asking what happened at break first.", comment.Text);
        Assert.Empty(review.Turns[0].Comments);
        Assert.True((await instructor.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{session.Id}", Ct))!.CanReview);

        // Changing the id gets a classmate or another instructor nothing: not even that it exists.
        Assert.Equal(HttpStatusCode.NotFound, (await classmate.GetAsync($"/api/review/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherInstructor.GetAsync($"/api/review/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherInstructor.PostAsJsonAsync($"/api/review/turns/{session.Turns[0].Id}/comments", new AddCommentRequest("Hello"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.PostAsJsonAsync($"/api/review/turns/{session.Turns[0].Id}/comments", new AddCommentRequest("Self-praise"), Ct)).StatusCode);
        Assert.Equal(1, await api.Db(scope).TurnComments.CountAsync(c => c.SessionId == session.Id, Ct));
    }
}
