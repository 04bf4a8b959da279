using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Cohorts end to end: an instructor creates one, trainees join, assignments are set and seen.</summary>
[Collection(ApiCollection.Name)]
public sealed class CohortTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instructor_creates_a_cohort_trainees_join_by_code_and_see_only_their_cohorts_assignments()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Ms Okafor");
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var outsiderUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        using var outsider = await api.CreateClientForAsync(outsiderUser.Id);
        await using var scope = api.CreateScope();
        var slug = await TestData.AnyScenarioSlugAsync(api.Db(scope));

        var created = await instructor.PostAsJsonAsync("/api/cohorts", new { name = "PGCE Secondary 2026", description = "Tuesday seminar group" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cohort = (await created.Content.ReadFromJsonAsync<CohortDetails>(Ct))!;
        var cohortId = cohort.Id;
        var code = cohort.InviteCode!;
        Assert.Matches("^[A-Z2-9]{5}-[A-Z2-9]{5}$", code);

        var join = await trainee.PostAsJsonAsync("/api/cohorts/join", new { inviteCode = code.ToLowerInvariant() }, Ct);
        Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        var badJoin = await outsider.PostAsJsonAsync("/api/cohorts/join", new { inviteCode = "AAAAA-BBBBB" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badJoin.StatusCode);

        var due = DateTimeOffset.UtcNow.AddDays(3);
        var assigned = await instructor.PostAsJsonAsync($"/api/cohorts/{cohortId}/assignments", new { scenarioSlug = slug, dueAt = due, note = "Before Thursday's seminar" }, Ct);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        var assignment = (await assigned.Content.ReadFromJsonAsync<AssignmentView>(Ct))!;
        Assert.Equal(slug, assignment.ScenarioSlug);

        var mine = await trainee.GetFromJsonAsync<List<AssignmentView>>("/api/assignments", Ct);
        var item = Assert.Single(mine!);
        Assert.Equal("PGCE Secondary 2026", item.CohortName);
        Assert.Equal(due.ToUnixTimeSeconds(), item.DueAt.ToUnixTimeSeconds());
        Assert.False(item.Completed);
        Assert.Empty((await outsider.GetFromJsonAsync<List<AssignmentView>>("/api/assignments", Ct))!);

        // The trainee sees the cohort but not its members or code; the outsider does not see it at all.
        // (The raw wire on purpose: the fields must be absent, not null.)
        var seen = await trainee.GetFromJsonAsync<JsonElement>($"/api/cohorts/{cohortId}", Ct);
        Assert.False(seen.TryGetProperty("inviteCode", out _));
        Assert.False(seen.TryGetProperty("members", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/cohorts/{cohortId}", Ct)).StatusCode);
        var managed = await instructor.GetFromJsonAsync<CohortDetails>($"/api/cohorts/{cohortId}", Ct);
        Assert.Equal(traineeUser.Id, Assert.Single(managed!.Members!).UserId);

        // A session practised for the assignment completes it, and shows on the cohort's session list.
        await TestData.AddSessionAsync(api.Db(scope), traineeUser.Id, assignment.Id, startedAt: DateTimeOffset.UtcNow);
        Assert.True(Assert.Single((await trainee.GetFromJsonAsync<List<AssignmentView>>("/api/assignments", Ct))!).Completed);
        var sessions = await instructor.GetFromJsonAsync<List<CohortSessionView>>($"/api/cohorts/{cohortId}/sessions", Ct);
        Assert.Equal(traineeUser.Id, Assert.Single(sessions!).TraineeId);
    }

    [Fact]
    public async Task Invalid_assignments_are_refused_naming_the_field()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructorUser.Id);
        var slug = await TestData.AnyScenarioSlugAsync(api.Db(scope));
        var cases = new (object Body, string Field)[]
        {
            (new { scenarioSlug = slug, dueAt = DateTimeOffset.UtcNow.AddDays(-1) }, "dueAt"),
            (new { scenarioSlug = slug, dueAt = DateTimeOffset.UtcNow.AddYears(5) }, "dueAt"),
            (new { scenarioSlug = "no-such-scenario", dueAt = DateTimeOffset.UtcNow.AddDays(1) }, "scenarioSlug"),
            (new { scenarioSlug = slug, dueAt = DateTimeOffset.UtcNow.AddDays(1), note = new string('x', 1001) }, "note"),
            (new { dueAt = DateTimeOffset.UtcNow.AddDays(1) }, "scenarioSlug"),
            (new { scenarioSlug = slug, dueAt = "next tuesday" }, "$.dueAt"),
        };
        foreach (var (body, field) in cases)
        {
            var response = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/assignments", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!;
            Assert.True(problem.Errors.ContainsKey(field), $"{field} not named in {string.Join(", ", problem.Errors.Keys)}");
        }
        Assert.False(await api.Db(scope).Assignments.AnyAsync(a => a.CohortId == cohort.Id, Ct));
    }

    [Fact]
    public async Task Instructors_invite_and_remove_members_and_rotate_the_code()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructorUser.Id);

        // Inviting makes nobody a member, and answers the same whether or not an account has the email.
        var invited = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations", new { email = traineeUser.Email }, Ct);
        var nobody = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations", new { email = "nobody-at-all@tests.local" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, invited.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, nobody.StatusCode);
        Assert.Equal(Shape(await invited.Content.ReadFromJsonAsync<JsonElement>(Ct)), Shape(await nobody.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        Assert.False(await api.Db(scope).CohortMembers.AnyAsync(m => m.CohortId == cohort.Id, Ct));
        var pending = (await instructor.GetFromJsonAsync<CohortDetails>($"/api/cohorts/{cohort.Id}", Ct))!;
        Assert.Equal(2, pending.Invitations!.Count);
        Assert.Empty(pending.Members!);

        // The invitee sees it and accepts; then they are a member.
        var mine = Assert.Single((await trainee.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!);
        Assert.Equal(cohort.Id, mine.CohortId);
        var accepted = await trainee.PostAsync($"/api/invitations/{mine.Id}/accept", null, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(cohort.Id, (await accepted.Content.ReadFromJsonAsync<JoinedCohort>(Ct))!.CohortId);
        Assert.Empty((await trainee.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!);
        Assert.True(await api.Db(scope).CohortMembers.AnyAsync(m => m.CohortId == cohort.Id && m.UserId == traineeUser.Id, Ct));

        var rotated = await instructor.PostAsync($"/api/cohorts/{cohort.Id}/invite-code", null, Ct);
        var code = (await rotated.Content.ReadFromJsonAsync<InviteCodeResponse>(Ct))!.InviteCode;
        Assert.NotEqual(cohort.InviteCode, code);
        using var late = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Trainee)).Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await late.PostAsJsonAsync("/api/cohorts/join", new { inviteCode = cohort.InviteCode }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await late.PostAsJsonAsync("/api/cohorts/join", new { inviteCode = code }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await instructor.DeleteAsync($"/api/cohorts/{cohort.Id}/members/{traineeUser.Id}", Ct)).StatusCode);
        var again = await instructor.DeleteAsync($"/api/cohorts/{cohort.Id}/members/{traineeUser.Id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        // A 404 is problem details worded once (CohortProblems), keeping the title a bare 404 had.
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Not Found", (await again.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Title);
    }

    /// <summary>The invitation answer's properties and their kinds, with the values left out (the raw wire on purpose).</summary>
    private static string Shape(JsonElement e) => string.Join(",", e.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));
}
