using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// A session overridden before the effective score was the one writer kept the engine's overall in its
/// stored column; start-up recomputes it, after which the summary, My sessions, Progress, the cohort's
/// session list and the review page all read the same number.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StoredOverallTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_old_override_left_with_a_stale_stored_overall_is_recomputed_and_then_reads_the_same_on_every_page()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id);
        var session = await TestData.AddSessionAsync(db, traineeUser.Id, (await TestData.AddAssignmentAsync(db, cohort.Id, instructorUser.Id)).Id);

        // As an override was stored before: the criterion changed (40 to 90), the session's overall not (still the engine's 55).
        var firstTurn = session.Turns[0].Id;
        await db.TurnCriterionScores.Where(c => c.TurnId == firstTurn).ExecuteUpdateAsync(c => c.SetProperty(x => x.OverrideScore, 90), Ct);
        var turns = await db.Turns.AsNoTracking().Include(t => t.CriterionScores).Where(t => t.SessionId == session.Id).ToListAsync(Ct);
        var effective = EffectiveScores.Session(turns)!.Value;
        Assert.NotEqual(55, effective);
        Assert.Equal(55, await StoredListScoreAsync(trainee, session.Id));

        // As at start-up: a context that has not seen these rows yet.
        db.ChangeTracker.Clear();
        Assert.True(await StoredOverallSeeder.BackfillEffectiveOverallsAsync(db, Ct) >= 1);
        db.ChangeTracker.Clear();

        // Every page (the cohort's list is read raw: its record is not a contract of these features yet): the trainee's summary, My sessions and Progress; the instructor's session list and review.
        var summary = await trainee.GetFromJsonAsync<SessionView>($"/api/sessions/{session.Id}", Ct);
        Assert.Equal(effective, summary!.Summary!.OverallScore);
        Assert.Equal(effective, await StoredListScoreAsync(trainee, session.Id));
        var progress = await trainee.GetFromJsonAsync<ProgressView>("/api/progress", Ct);
        Assert.Equal(effective, progress!.Overall.Single(p => p.SessionId == session.Id).Score);
        var cohortSessions = (await instructor.GetFromJsonAsync<List<CohortSessionView>>($"/api/cohorts/{cohort.Id}/sessions", Ct))!;
        Assert.Equal(effective, cohortSessions.Single(s => s.SessionId == session.Id).OverallScore);
        var review = await instructor.GetFromJsonAsync<SessionReview>($"/api/review/sessions/{session.Id}", Ct);
        Assert.Equal(effective, review!.OverallScore);
    }

    private static async Task<int> StoredListScoreAsync(HttpClient client, Guid sessionId)
        => (await client.GetFromJsonAsync<List<SessionListItem>>("/api/sessions", Ct))!.Single(s => s.Id == sessionId).OverallScore!.Value;
}
