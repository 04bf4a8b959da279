using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The security log, captured from the real API (a FakeLogger for the <c>TeacherTrainer.Security</c>
/// category, added by <see cref="ApiFactory"/>): each refusal and each administrative or review
/// action is one event with its id and named properties (actor, target, address), which is what
/// the Aspire dashboard's structured logs show and filter on.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SecurityLogTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_without_a_token_is_logged_as_Unauthenticated_with_its_path()
    {
        var path = $"/api/review/sessions/{Guid.NewGuid()}";
        using var anonymous = api.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, Ct)).StatusCode);

        var logged = Single(api, "Unauthenticated", path);
        Assert.Equal(4010, logged.Id.Id);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Equal("GET", logged.GetStructuredStateValue("Method"));
        Assert.Contains(logged.StructuredState!, p => p.Key == "SourceAddress");
    }

    [Fact]
    public async Task A_trainee_refused_an_admin_endpoint_is_logged_as_Forbidden_with_their_id()
    {
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var client = await api.CreateClientForAsync(trainee.Id);
        var path = $"/api/admin/users/{Guid.NewGuid()}";

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path, Ct)).StatusCode);

        var logged = Single(api, "Forbidden", path);
        Assert.Equal(4011, logged.Id.Id);
        Assert.Equal(trainee.Id.ToString(), logged.GetStructuredStateValue("ActorId"));
    }

    [Fact]
    public async Task Role_changes_locks_and_unlocks_name_the_administrator_and_the_account()
    {
        var admin = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        var target = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var client = await api.CreateClientForAsync(admin.Id);

        (await client.PutAsJsonAsync($"/api/admin/users/{target.Id}/role", new { role = Roles.Instructor, reason = "Joined the teaching staff" }, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/admin/users/{target.Id}/lock", new { reason = "shared password" }, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/admin/users/{target.Id}/unlock", null, Ct)).EnsureSuccessStatusCode();

        var role = ForTarget(api, "RoleChanged", target.Id);
        Assert.Equal(4020, role.Id.Id);
        Assert.Equal(admin.Id.ToString(), role.GetStructuredStateValue("ActorId"));
        Assert.Equal(Roles.Trainee, role.GetStructuredStateValue("FromRole"));
        Assert.Equal(Roles.Instructor, role.GetStructuredStateValue("ToRole"));

        var locked = ForTarget(api, "AccountLocked", target.Id);
        Assert.Equal(admin.Id.ToString(), locked.GetStructuredStateValue("ActorId"));
        Assert.Equal("shared password", locked.GetStructuredStateValue("Reason"));

        var unlocked = ForTarget(api, "AccountUnlocked", target.Id);
        Assert.Equal(admin.Id.ToString(), unlocked.GetStructuredStateValue("ActorId"));
    }

    [Fact]
    public async Task A_score_override_names_the_instructor_the_trainee_the_session_and_the_criterion()
    {
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        Guid sessionId, turnId;
        await using (var scope = api.CreateScope())
        {
            var db = api.Db(scope);
            var cohort = await TestData.AddCohortAsync(db, instructor.Id, trainee.Id);
            // Practised for the cohort's assignment, so the instructor may review it.
            var session = await TestData.AddSessionAsync(db, trainee.Id, (await TestData.AddAssignmentAsync(db, cohort.Id, instructor.Id)).Id);
            (sessionId, turnId) = (session.Id, session.Turns[0].Id);
        }
        using var client = await api.CreateClientForAsync(instructor.Id);

        (await client.PutAsJsonAsync($"/api/review/turns/{turnId}/scores/{TestData.CriterionKey}",
            new { score = 75, reason = "Named the worry first." }, Ct)).EnsureSuccessStatusCode();

        var logged = ForTarget(api, "ScoreOverridden", trainee.Id);
        Assert.Equal(4030, logged.Id.Id);
        Assert.Equal(instructor.Id.ToString(), logged.GetStructuredStateValue("ActorId"));
        Assert.Equal(sessionId.ToString(), logged.GetStructuredStateValue("SessionId"));
        Assert.Equal(TestData.CriterionKey, logged.GetStructuredStateValue("Criterion"));
        Assert.NotNull(logged.GetStructuredStateValue("TurnNumber"));
        // The reason is the instructor's own text: it stays in the audit table, not the log.
        Assert.DoesNotContain("Named the worry", logged.Message);
    }

    internal static FakeLogRecord Single(ApiFactory factory, string eventName, string path)
        => Assert.Single(factory.SecurityEvents(), r => r.Id.Name == eventName && r.GetStructuredStateValue("Path") == path);

    private static FakeLogRecord ForTarget(ApiFactory factory, string eventName, Guid target)
    {
        var record = Assert.Single(factory.SecurityEvents(), r => r.Id.Name == eventName && r.GetStructuredStateValue("TargetId") == target.ToString());
        Assert.Equal(SecurityLog.Category, record.Category);
        return record;
    }
}

/// <summary>429s in the security log, against the API with production-like limits.</summary>
[Collection(LimitedApiCollection.Name)]
public sealed class RateLimitSecurityLogTests(LimitedApiFactory api)
{
    [Fact]
    public async Task A_rate_limited_request_is_logged_with_the_client_address()
    {
        // The API trusts X-Forwarded-For from loopback (the web front end): a made-up address of our own.
        var address = $"2001:db8::{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        using var client = api.CreateClient();
        HttpStatusCode last = default;
        for (var attempt = 0; attempt <= LimitedApiFactory.SignInPermitLimit; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
            {
                Content = JsonContent.Create(new { email = "nobody@tests.local", password = "not-the-password-at-all" }),
            };
            request.Headers.Add("X-Forwarded-For", address);
            last = (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        var logged = Assert.Single(api.SecurityEvents(), r => r.Id.Name == "RateLimited" && r.GetStructuredStateValue("SourceAddress") == address);
        Assert.Equal(4012, logged.Id.Id);
        Assert.Equal("/api/auth/token", logged.GetStructuredStateValue("Path"));
        Assert.Equal(LogLevel.Warning, logged.Level);
    }
}
