using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

[Collection(ApiCollection.Name)]
public sealed class AdminTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admins_create_instructors_find_users_and_change_roles()
    {
        var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        using var admin = await api.CreateClientForAsync(adminUser.Id);
        var email = $"head-of-dept-{Guid.NewGuid():N}@tests.local";

        var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { email, password = "a lantern over the quiet harbour", displayName = "Head of Department", role = Roles.Instructor }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<UserView>(Ct))!.Id;
        var signedIn = api.CreateClientWithToken((await api.SignInForTokensAsync(email, "a lantern over the quiet harbour")).AccessToken);
        Assert.Equal(Roles.Instructor, (await signedIn.GetFromJsonAsync<MeResponse>("/api/auth/me", Ct))!.Role);

        var page = (await admin.GetFromJsonAsync<UserPage>($"/api/admin/users?q={email[..20]}&role=instructor&pageSize=5", Ct))!;
        Assert.Equal(1, page.Total);
        Assert.Equal(5, page.PageSize);
        Assert.Equal(id, page.Items[0].Id);

        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = Roles.Admin, reason = "Runs the programme now" }, Ct);
        Assert.Equal(Roles.Admin, (await changed.Content.ReadFromJsonAsync<UserView>(Ct))!.Role);
        var invalid = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = "superuser", reason = "testing roles" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True(HasError((await invalid.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!, "role"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?pageSize=1000", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?page=abc", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_demote_or_lock_themselves()
    {
        var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        using var admin = await api.CreateClientForAsync(adminUser.Id);
        var demoted = await admin.PutAsJsonAsync($"/api/admin/users/{adminUser.Id}/role", new { role = Roles.Trainee, reason = "testing self" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        Assert.Equal("Not on yourself", (await demoted.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Title);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/admin/users/{adminUser.Id}/lock", new { reason = "testing self" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_role_change_or_a_lock_without_a_reason_is_refused_and_with_one_is_logged_with_it()
    {
        var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        var target = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var admin = await api.CreateClientForAsync(adminUser.Id);

        foreach (var body in new object[] { new { role = Roles.Instructor }, new { role = Roles.Instructor, reason = "" }, new { role = Roles.Instructor, reason = "  " } })
        {
            var refused = await admin.PutAsJsonAsync($"/api/admin/users/{target.Id}/role", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True(HasError((await refused.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!, "reason"));
        }
        var noLockReason = await admin.PostAsJsonAsync($"/api/admin/users/{target.Id}/lock", new { until = DateTimeOffset.UtcNow.AddHours(1) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noLockReason.StatusCode);
        Assert.True(HasError((await noLockReason.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!, "reason"));
        // Nothing changed and nothing was logged.
        var unchanged = (await admin.GetFromJsonAsync<UserView>($"/api/admin/users/{target.Id}", Ct))!;
        Assert.Equal(Roles.Trainee, unchanged.Role);
        Assert.Null(unchanged.LockedUntil);
        Assert.Empty(api.FindSecurityEvents("RoleChanged", target.Id.ToString()));
        Assert.Empty(api.FindSecurityEvents("AccountLocked", target.Id.ToString()));

        (await admin.PutAsJsonAsync($"/api/admin/users/{target.Id}/role", new { role = Roles.Instructor, reason = "Now teaches the Thursday seminar" }, Ct)).EnsureSuccessStatusCode();
        var role = Assert.Single(api.FindSecurityEvents("RoleChanged", target.Id.ToString()));
        Assert.Equal("Now teaches the Thursday seminar", role.GetStructuredStateValue("Reason"));

        // A lock for a day ends in a day; the reason is logged with it.
        var until = DateTimeOffset.UtcNow.AddDays(1);
        var locked = await admin.PostAsJsonAsync($"/api/admin/users/{target.Id}/lock", new { until, reason = "Shared their password with a classmate" }, Ct);
        locked.EnsureSuccessStatusCode();
        var lockedUntil = (await locked.Content.ReadFromJsonAsync<UserView>(Ct))!.LockedUntil!.Value;
        Assert.InRange(lockedUntil, until.AddSeconds(-1), until.AddSeconds(1));
        var lockEvent = Assert.Single(api.FindSecurityEvents("AccountLocked", target.Id.ToString()));
        Assert.Equal("Shared their password with a classmate", lockEvent.GetStructuredStateValue("Reason"));
    }

    [Fact]
    public async Task The_users_list_shows_created_last_sign_in_and_cohorts_and_filters_by_lock_state()
    {
        var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        using var admin = await api.CreateClientForAsync(adminUser.Id);
        var instructor = await api.CreateUserAsync(Roles.Instructor, "Ida Instructor");
        using (var signedIn = await api.SignInAsync(instructor))
        {
            Assert.Equal(HttpStatusCode.Created, (await signedIn.PostAsJsonAsync("/api/cohorts", new { name = "Monday methods" }, Ct)).StatusCode);
        }
        var never = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);

        var row = (await admin.GetFromJsonAsync<UserView>($"/api/admin/users/{instructor.Id}", Ct))!;
        Assert.Equal("Monday methods", Assert.Single(row.Cohorts));
        Assert.InRange(row.LastSignInAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(row.CreatedAt <= row.LastSignInAt);
        var neverRow = (await admin.GetFromJsonAsync<UserView>($"/api/admin/users/{never.Id}", Ct))!;
        Assert.Null(neverRow.LastSignInAt);
        Assert.Empty(neverRow.Cohorts);

        (await admin.PostAsJsonAsync($"/api/admin/users/{never.Id}/lock", new { reason = "Left the programme" }, Ct)).EnsureSuccessStatusCode();
        var lockedOnly = (await admin.GetFromJsonAsync<UserPage>($"/api/admin/users?q={never.Email}&locked=true", Ct))!;
        Assert.Equal(1, lockedOnly.Total);
        Assert.True(Assert.Single(lockedOnly.Items).IsLocked(DateTimeOffset.UtcNow));
        var activeOnly = (await admin.GetFromJsonAsync<UserPage>($"/api/admin/users?q={never.Email}&locked=false", Ct))!;
        Assert.Equal(0, activeOnly.Total);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?locked=maybe", Ct)).StatusCode);
    }

    private static bool HasError(HttpValidationProblemDetails problem, string field)
        => problem.Errors.Keys.Any(name => string.Equals(name, field, StringComparison.OrdinalIgnoreCase));
}
