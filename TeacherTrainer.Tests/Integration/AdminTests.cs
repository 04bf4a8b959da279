using System.Text.Json;
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
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var signedIn = api.CreateClientWithToken((await api.SignInForTokensAsync(email, "a lantern over the quiet harbour")).AccessToken);
        Assert.Equal(Roles.Instructor, (await signedIn.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct)).GetProperty("role").GetString());

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={email[..20]}&role=instructor&pageSize=5", Ct);
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(id, page.GetProperty("items")[0].GetProperty("id").GetGuid());

        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = Roles.Admin, reason = "Runs the programme now" }, Ct);
        Assert.Equal(Roles.Admin, (await changed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("role").GetString());
        var invalid = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = "superuser", reason = "testing roles" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("role", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?pageSize=1000", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?page=abc", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_demote_or_lock_themselves()
    {
        var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        using var admin = await api.CreateClientForAsync(adminUser.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/admin/users/{adminUser.Id}/role", new { role = Roles.Trainee, reason = "testing self" }, Ct)).StatusCode);
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
            Assert.True(HasError(await refused.Content.ReadFromJsonAsync<JsonElement>(Ct), "reason"));
        }
        var noLockReason = await admin.PostAsJsonAsync($"/api/admin/users/{target.Id}/lock", new { until = DateTimeOffset.UtcNow.AddHours(1) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noLockReason.StatusCode);
        Assert.True(HasError(await noLockReason.Content.ReadFromJsonAsync<JsonElement>(Ct), "reason"));
        // Nothing changed and nothing was logged.
        var unchanged = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users/{target.Id}", Ct);
        Assert.Equal(Roles.Trainee, unchanged.GetProperty("role").GetString());
        Assert.True(IsAbsent(unchanged, "lockedUntil"));
        Assert.Empty(api.FindSecurityEvents("RoleChanged", target.Id.ToString()));
        Assert.Empty(api.FindSecurityEvents("AccountLocked", target.Id.ToString()));

        (await admin.PutAsJsonAsync($"/api/admin/users/{target.Id}/role", new { role = Roles.Instructor, reason = "Now teaches the Thursday seminar" }, Ct)).EnsureSuccessStatusCode();
        var role = Assert.Single(api.FindSecurityEvents("RoleChanged", target.Id.ToString()));
        Assert.Equal("Now teaches the Thursday seminar", role.GetStructuredStateValue("Reason"));

        // A lock for a day ends in a day; the reason is logged with it.
        var until = DateTimeOffset.UtcNow.AddDays(1);
        var locked = await admin.PostAsJsonAsync($"/api/admin/users/{target.Id}/lock", new { until, reason = "Shared their password with a classmate" }, Ct);
        locked.EnsureSuccessStatusCode();
        var lockedUntil = (await locked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("lockedUntil").GetDateTimeOffset();
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

        var row = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users/{instructor.Id}", Ct);
        Assert.Equal("Monday methods", Assert.Single(row.GetProperty("cohorts").EnumerateArray()).GetString());
        Assert.InRange(row.GetProperty("lastSignInAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(row.GetProperty("createdAt").GetDateTimeOffset() <= row.GetProperty("lastSignInAt").GetDateTimeOffset());
        var neverRow = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users/{never.Id}", Ct);
        Assert.True(IsAbsent(neverRow, "lastSignInAt"));
        Assert.Empty(neverRow.GetProperty("cohorts").EnumerateArray());

        (await admin.PostAsJsonAsync($"/api/admin/users/{never.Id}/lock", new { reason = "Left the programme" }, Ct)).EnsureSuccessStatusCode();
        var lockedOnly = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={never.Email}&locked=true", Ct);
        Assert.Equal(1, lockedOnly.GetProperty("total").GetInt32());
        var activeOnly = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={never.Email}&locked=false", Ct);
        Assert.Equal(0, activeOnly.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/users?locked=maybe", Ct)).StatusCode);
    }

    /// <summary>Nulls are left out of the API's JSON.</summary>
    private static bool IsAbsent(JsonElement item, string name)
        => !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static bool HasError(JsonElement problem, string field)
        => problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase));
}
