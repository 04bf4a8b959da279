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

        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = Roles.Admin }, Ct);
        Assert.Equal(Roles.Admin, (await changed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("role").GetString());
        var invalid = await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = "superuser" }, Ct);
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
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/admin/users/{adminUser.Id}/role", new { role = Roles.Trainee }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/users/{adminUser.Id}/lock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me", Ct)).StatusCode);
    }
}
