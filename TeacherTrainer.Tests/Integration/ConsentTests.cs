using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Consent and scope between trainees and instructors: joining only by consent, what an instructor
/// sees of a trainee's practice (assignment sessions since joining, and what the trainee shares),
/// private reflections, leaving, assignments that are checked, and a demoted instructor.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConsentTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Class(TestUser Instructor, TestUser Trainee, HttpClient InstructorClient, HttpClient TraineeClient, Guid CohortId, Guid AssignmentId);

    private async Task<Class> ClassAsync()
    {
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Mrs Adeyemi");
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Priya Trainee");
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructor.Id, trainee.Id);
        var assignment = await TestData.AddAssignmentAsync(api.Db(scope), cohort.Id, instructor.Id);
        return new Class(instructor, trainee, await api.CreateClientForAsync(instructor.Id), await api.CreateClientForAsync(trainee.Id), cohort.Id, assignment.Id);
    }

    [Fact]
    public async Task An_invitation_joins_only_the_person_it_was_sent_to_when_they_accept()
    {
        var c = await ClassAsync();
        var invitee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var stranger = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var inviteeClient = await api.CreateClientForAsync(invitee.Id);
        using var strangerClient = await api.CreateClientForAsync(stranger.Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);

        var sent = await c.InstructorClient.PostAsJsonAsync($"/api/cohorts/{c.CohortId}/invitations", new { email = invitee.Email.ToUpperInvariant() }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var id = (await sent.Content.ReadFromJsonAsync<CohortInvitationView>(Ct))!.Id;
        Assert.False(await db.CohortMembers.AnyAsync(m => m.CohortId == c.CohortId && m.UserId == invitee.Id, Ct));

        // Someone else cannot see, accept or decline it.
        Assert.Empty((await strangerClient.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.PostAsync($"/api/invitations/{id}/accept", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.PostAsync($"/api/invitations/{id}/decline", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.InstructorClient.PostAsync($"/api/invitations/{id}/accept", null, Ct)).StatusCode);
        Assert.False(await db.CohortMembers.AnyAsync(m => m.CohortId == c.CohortId && m.UserId == stranger.Id, Ct));

        // The invitee sees whose cohort it is, and accepts.
        var mine = Assert.Single((await inviteeClient.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!);
        Assert.Equal("Mrs Adeyemi", mine.InstructorName);
        Assert.Equal(HttpStatusCode.OK, (await inviteeClient.PostAsync($"/api/invitations/{id}/accept", null, Ct)).StatusCode);
        Assert.True(await db.CohortMembers.AnyAsync(m => m.CohortId == c.CohortId && m.UserId == invitee.Id, Ct));

        // A declined invitation is gone and joins nobody.
        await c.InstructorClient.PostAsJsonAsync($"/api/cohorts/{c.CohortId}/invitations", new { email = stranger.Email }, Ct);
        var second = Assert.Single((await strangerClient.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!).Id;
        Assert.Equal(HttpStatusCode.NoContent, (await strangerClient.PostAsync($"/api/invitations/{second}/decline", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.PostAsync($"/api/invitations/{second}/accept", null, Ct)).StatusCode);
        Assert.False(await db.CohortMembers.AnyAsync(m => m.CohortId == c.CohortId && m.UserId == stranger.Id, Ct));
    }

    [Fact]
    public async Task An_instructor_sees_assignment_sessions_and_what_is_shared_never_earlier_or_private_work()
    {
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Mr Osei");
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructorClient = await api.CreateClientForAsync(instructor.Id);
        using var traineeClient = await api.CreateClientForAsync(trainee.Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructor.Id);
        var assignment = await TestData.AddAssignmentAsync(db, cohort.Id, instructor.Id);

        // Practice from before joining, with a private reflection.
        var before = await TestData.AddSessionAsync(db, trainee.Id, startedAt: DateTimeOffset.UtcNow.AddDays(-3));
        Assert.Equal(HttpStatusCode.OK, (await traineeClient.PutAsJsonAsync($"/api/sessions/{before.Id}/reflection", new { text = "I felt out of my depth." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await traineeClient.PostAsJsonAsync("/api/cohorts/join", new { inviteCode = cohort.InviteCode }, Ct)).StatusCode);
        var forAssignment = await TestData.AddSessionAsync(db, trainee.Id, assignment.Id, startedAt: DateTimeOffset.UtcNow.AddSeconds(1));
        var other = await TestData.AddSessionAsync(db, trainee.Id, startedAt: DateTimeOffset.UtcNow.AddSeconds(1));

        async Task<HttpStatusCode> Sees(Guid session) => (await instructorClient.GetAsync($"/api/sessions/{session}", Ct)).StatusCode;
        async Task<HashSet<Guid>> Listed() => (await instructorClient.GetFromJsonAsync<List<CohortSessionView>>($"/api/cohorts/{cohort.Id}/sessions", Ct))!
            .Select(x => x.SessionId).ToHashSet();

        Assert.Equal(HttpStatusCode.OK, await Sees(forAssignment.Id));
        Assert.Equal(HttpStatusCode.NotFound, await Sees(before.Id));
        Assert.Equal(HttpStatusCode.NotFound, await Sees(other.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await instructorClient.PutAsJsonAsync($"/api/review/turns/{other.Turns[0].Id}/scores/{TestData.CriterionKey}",
            new { score = 3, reason = "Not theirs to mark." }, Ct)).StatusCode);
        Assert.Equal([forAssignment.Id], await Listed());

        // The trainee sees who sees what.
        var sharing = (await traineeClient.GetFromJsonAsync<MySharing>("/api/sharing", Ct))!;
        var visibility = Assert.Single(sharing.Cohorts);
        Assert.Equal("Mr Osei", visibility.InstructorName);
        Assert.Equal(1, visibility.AssignmentSessions);
        Assert.Equal(0, visibility.SharedSessions);

        // Shared, the earlier session is seen, its reflection only once that is shared too.
        var shared = await traineeClient.PutAsJsonAsync($"/api/sessions/{before.Id}/sharing", new { cohortIds = new[] { cohort.Id }, reflection = false }, Ct);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Sees(before.Id));
        Assert.Equal(new HashSet<Guid> { forAssignment.Id, before.Id }, await Listed());
        // The raw wire: the hidden reflection is absent or null, not merely empty.
        var seen = await instructorClient.GetFromJsonAsync<JsonElement>($"/api/sessions/{before.Id}", Ct);
        Assert.True(!seen.TryGetProperty("reflection", out var hidden) || hidden.ValueKind == JsonValueKind.Null);
        await traineeClient.PutAsJsonAsync($"/api/sessions/{before.Id}/sharing", new { cohortIds = new[] { cohort.Id }, reflection = true }, Ct);
        Assert.Equal("I felt out of my depth.", (await instructorClient.GetFromJsonAsync<SessionView>($"/api/sessions/{before.Id}", Ct))!.Reflection);
        Assert.Equal("I felt out of my depth.", (await traineeClient.GetFromJsonAsync<SessionView>($"/api/sessions/{before.Id}", Ct))!.Reflection);

        // Unshared again, it is hidden again; a cohort the trainee is not in cannot be shared with.
        await traineeClient.PutAsJsonAsync($"/api/sessions/{before.Id}/sharing", new { cohortIds = Array.Empty<Guid>(), reflection = false }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, await Sees(before.Id));
        var elsewhere = await TestData.AddCohortAsync(db, instructor.Id);
        var refused = await traineeClient.PutAsJsonAsync($"/api/sessions/{before.Id}/sharing", new { cohortIds = new[] { elsewhere.Id }, reflection = false }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(await db.SessionShares.AnyAsync(x => x.SessionId == before.Id, Ct));
    }

    [Fact]
    public async Task A_reflection_on_an_assignment_session_stays_private_until_shared()
    {
        var c = await ClassAsync();
        await using var scope = api.CreateScope();
        var session = await TestData.AddSessionAsync(api.Db(scope), c.Trainee.Id, c.AssignmentId);
        await c.TraineeClient.PutAsJsonAsync($"/api/sessions/{session.Id}/reflection", new { text = "My voice shook." }, Ct);
        // The raw wire, as above: the reflection absent or null.
        var seen = await c.InstructorClient.GetFromJsonAsync<JsonElement>($"/api/sessions/{session.Id}", Ct);
        Assert.True(!seen.TryGetProperty("reflection", out var r) || r.ValueKind == JsonValueKind.Null);
        // An admin may open it for support, but not read the reflection either.
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var byAdmin = await admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{session.Id}", Ct);
        Assert.True(!byAdmin.TryGetProperty("reflection", out var a) || a.ValueKind == JsonValueKind.Null);
        await c.TraineeClient.PutAsJsonAsync($"/api/sessions/{session.Id}/sharing", new { cohortIds = Array.Empty<Guid>(), reflection = true }, Ct);
        Assert.Equal("My voice shook.", (await c.InstructorClient.GetFromJsonAsync<SessionView>($"/api/sessions/{session.Id}", Ct))!.Reflection);
    }

    [Fact]
    public async Task A_trainee_who_leaves_is_no_longer_seen_at_all()
    {
        var c = await ClassAsync();
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var session = await TestData.AddSessionAsync(db, c.Trainee.Id, c.AssignmentId);
        var other = await TestData.AddSessionAsync(db, c.Trainee.Id);
        await c.TraineeClient.PutAsJsonAsync($"/api/sessions/{other.Id}/sharing", new { cohortIds = new[] { c.CohortId }, reflection = false }, Ct);
        Assert.Equal(HttpStatusCode.OK, (await c.InstructorClient.GetAsync($"/api/sessions/{other.Id}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await c.TraineeClient.DeleteAsync($"/api/cohorts/{c.CohortId}/membership", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.InstructorClient.GetAsync($"/api/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.InstructorClient.GetAsync($"/api/sessions/{other.Id}", Ct)).StatusCode);
        Assert.Empty((await c.InstructorClient.GetFromJsonAsync<List<CohortSessionView>>($"/api/cohorts/{c.CohortId}/sessions", Ct))!);
        Assert.Empty((await c.InstructorClient.GetFromJsonAsync<CohortDetails>($"/api/cohorts/{c.CohortId}", Ct))!.Members!);
        Assert.False(await db.SessionShares.AnyAsync(x => x.SessionId == other.Id, Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await c.TraineeClient.GetAsync($"/api/cohorts/{c.CohortId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.TraineeClient.DeleteAsync($"/api/cohorts/{c.CohortId}/membership", Ct)).StatusCode);
    }

    [Fact]
    public async Task Assignments_are_checked_and_completed_only_by_a_session_that_ran_its_course()
    {
        var c = await ClassAsync();
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var slugs = await db.Scenarios.Where(s => s.Source == "library" && !s.IsArchived).OrderBy(s => s.Slug).Select(s => s.Slug).Take(2).ToListAsync(Ct);
        var outsider = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var outsiderClient = await api.CreateClientForAsync(outsider.Id);

        // Another cohort's assignment, an unknown one, and the wrong scenario are refused; nothing is started.
        Assert.Equal(HttpStatusCode.BadRequest, (await outsiderClient.PostAsJsonAsync("/api/sessions", new { scenario = slugs[0], assignmentId = c.AssignmentId }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.TraineeClient.PostAsJsonAsync("/api/sessions", new { scenario = slugs[0], assignmentId = Guid.NewGuid() }, Ct)).StatusCode);
        var wrongScenario = await c.TraineeClient.PostAsJsonAsync("/api/sessions", new { scenario = slugs[1], assignmentId = c.AssignmentId }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongScenario.StatusCode);
        // Problem details: the raw wire.
        Assert.Contains(slugs[0], (await wrongScenario.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.False(await db.Sessions.AnyAsync(s => s.AssignmentId == c.AssignmentId, Ct));

        // The right scenario starts; ended at once, it does not complete the assignment.
        var started = await c.TraineeClient.PostAsJsonAsync("/api/sessions", new { scenario = slugs[0], assignmentId = c.AssignmentId }, Ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<SessionView>(Ct))!.Id;
        Assert.Equal(HttpStatusCode.OK, (await c.TraineeClient.PostAsync($"/api/sessions/{id}/end", null, Ct)).StatusCode);
        async Task<bool> Completed() => Assert.Single((await c.TraineeClient.GetFromJsonAsync<List<AssignmentView>>("/api/assignments", Ct))!).Completed;
        Assert.False(await Completed());

        // One that ran to its turn limit does.
        await TestData.AddSessionAsync(db, c.Trainee.Id, c.AssignmentId, endReason: "turn-limit");
        Assert.True(await Completed());
    }

    [Fact]
    public async Task A_demoted_instructor_sees_nothing_of_their_old_cohorts()
    {
        var c = await ClassAsync();
        await using var scope = api.CreateScope();
        var session = await TestData.AddSessionAsync(api.Db(scope), c.Trainee.Id, c.AssignmentId);
        Assert.Equal(HttpStatusCode.OK, (await c.InstructorClient.GetAsync($"/api/sessions/{session.Id}", Ct)).StatusCode);

        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{c.Instructor.Id}/role", new { role = Roles.Trainee, reason = "Left the programme" }, Ct)).StatusCode);

        // The old token stops working; a new one carries the new role, and teaching is checked against it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.InstructorClient.GetAsync("/api/cohorts", Ct)).StatusCode);
        using var demoted = await api.CreateClientForAsync(c.Instructor.Id);
        Assert.DoesNotContain((await demoted.GetFromJsonAsync<List<CohortSummary>>("/api/cohorts", Ct))!, x => x.Id == c.CohortId);
        Assert.Equal(HttpStatusCode.NotFound, (await demoted.GetAsync($"/api/cohorts/{c.CohortId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.GetAsync($"/api/cohorts/{c.CohortId}/sessions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demoted.GetAsync($"/api/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demoted.GetAsync($"/api/review/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demoted.GetAsync($"/api/cohorts/{c.CohortId}/assignments", Ct)).StatusCode);
    }
}
