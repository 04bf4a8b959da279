using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>Bulk intake: a CSV of names and emails becomes pending invitations, each row answered, against the real database.</summary>
[Collection(ApiCollection.Name)]
public sealed class BulkIntakeTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_csv_of_names_and_emails_becomes_invitations_with_every_row_answered_and_nothing_said_about_accounts()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id);
        await TestData.AddInvitationAsync(db, cohort.Id, "already.waiting@tests.local", instructorUser.Id);

        // Semicolons, as a spreadsheet in many languages exports; a quoted name with the separator in it.
        var csv = $"""
            Name;Email
            "Haddad; Amira";{traineeUser.Email}
            Nobody Atall;nobody-at-all-{Guid.NewGuid():N}@tests.local
            Waiting Person;ALREADY.waiting@tests.local
            Not An Email;not-an-email
            No Email;
            Again;{traineeUser.Email!.ToUpperInvariant()}
            """;
        var response = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations/bulk", new { csv }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wire = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var result = wire.Deserialize<BulkInvitationResult>(JsonSerializerOptions.Web)!;
        Assert.Equal(2, result.Invited);
        Assert.Equal(1, result.AlreadyInvited);
        Assert.Equal(3, result.Invalid);
        var rows = result.Rows;
        Assert.Equal([2, 3, 4, 5, 6, 7], rows.Select(r => r.Line));
        Assert.Equal([BulkInvitationOutcome.Invited, BulkInvitationOutcome.Invited, BulkInvitationOutcome.AlreadyInvited,
            BulkInvitationOutcome.Invalid, BulkInvitationOutcome.Invalid, BulkInvitationOutcome.Invalid], rows.Select(r => r.Outcome));
        Assert.Equal("Haddad; Amira", rows[0].Name);
        Assert.Contains("not an email", rows[3].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("empty", rows[4].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("earlier line", rows[5].Reason, StringComparison.OrdinalIgnoreCase);
        // An account's email and an unknown one are answered alike: the instructor learns nothing about accounts.
        Assert.Equal(rows[0].Outcome, rows[1].Outcome);
        // The raw wire on purpose: the outcome words clients know, and no reason at all for an invited row.
        var wireRows = wire.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["invited", "invited", "already-invited", "invalid", "invalid", "invalid"], wireRows.Select(r => r.GetProperty("outcome").GetString()));
        Assert.False(wireRows[0].TryGetProperty("reason", out _));
        Assert.False(wireRows[1].TryGetProperty("reason", out _));

        // Nobody joined; the invitations wait, and the trainee sees theirs and may accept it.
        Assert.False(await db.CohortMembers.AnyAsync(m => m.CohortId == cohort.Id, Ct));
        Assert.Equal(3, await db.CohortInvitations.CountAsync(i => i.CohortId == cohort.Id, Ct));
        var mine = Assert.Single((await trainee.GetFromJsonAsync<List<InvitationForMe>>("/api/invitations", Ct))!);
        Assert.Equal(cohort.Id, mine.CohortId);

        // The same file again invites nobody twice.
        var again = await (await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations/bulk", new { csv }, Ct)).Content.ReadFromJsonAsync<BulkInvitationResult>(Ct);
        Assert.Equal(0, again!.Invited);
        Assert.Equal(3, again.AlreadyInvited);
        Assert.Equal(3, await db.CohortInvitations.CountAsync(i => i.CohortId == cohort.Id, Ct));
    }

    [Theory]
    [InlineData("name,email\n\"Amira,amira@tests.local\n", "line 2")]
    [InlineData("name,email\nAm\"ira,amira@tests.local\n", "line 2")]
    [InlineData("name,address\nAmira,amira@tests.local\n", "'email'")]
    [InlineData("name,email\n", "no rows")]
    public async Task A_malformed_file_is_refused_whole_with_a_problem_that_says_why(string csv, string expected)
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructorUser.Id);

        var response = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations/bulk", new { csv }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Ct);
        Assert.Equal("The file could not be read", problem!.Title);
        Assert.Contains(expected, problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.False(await api.Db(scope).CohortInvitations.AnyAsync(i => i.CohortId == cohort.Id, Ct));
    }

    [Fact]
    public async Task A_file_over_the_row_limit_is_refused_and_another_cohorts_instructor_gets_404()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var otherUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var other = await api.CreateClientForAsync(otherUser.Id);
        await using var scope = api.CreateScope();
        var cohort = await TestData.AddCohortAsync(api.Db(scope), instructorUser.Id);

        var big = "name,email\n" + string.Concat(Enumerable.Range(0, 501).Select(i => $"P{i},p{i}@tests.local\n"));
        var tooMany = await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations/bulk", new { csv = big }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("500 rows", (await tooMany.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Ct))!.Detail);

        var refused = await other.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/invitations/bulk", new { csv = "name,email\nA,a@tests.local\n" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.False(await api.Db(scope).CohortInvitations.AnyAsync(i => i.CohortId == cohort.Id, Ct));
    }
}
