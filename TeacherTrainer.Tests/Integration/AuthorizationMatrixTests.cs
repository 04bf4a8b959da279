using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Who may call what. Every endpoint the API maps (read from its <see cref="EndpointDataSource"/>)
/// must have a row in <see cref="Matrix"/>, and every row is called by six actors: anonymous, the
/// trainee (a member of the cohort, owner of the session), another trainee, the cohort's
/// instructor, another instructor and an admin, each against freshly made resources. A new
/// endpoint without a row fails <see cref="Every_endpoint_has_a_row_and_every_row_an_endpoint"/>.
///
/// To add a row (for example for the practice API):
/// <code>
/// Row("GET", "/api/sessions/{id:guid}", (w, f) => $"/api/sessions/{f.SessionId}", null,
///     Expect(anonymous: 401, trainee: 200, otherTrainee: 404, instructor: 200, otherInstructor: 404, admin: 200)),
/// Row("POST", "/api/sessions/", (w, f) => "/api/sessions", (w, f) => new { scenarioSlug = w.ScenarioSlug },
///     Expect(401, 201, 201, 201, 201, 201)),
/// </code>
/// The route is the endpoint's pattern exactly as mapped (the group prefix joined to the route:
/// a group's <c>"/"</c> gives a trailing slash). <see cref="Fresh"/> holds resources made anew
/// for each call: a cohort taught by the instructor with the trainee as its member, an
/// assignment, a scored session of the trainee (<see cref="Fresh.SessionId"/>, <see cref="Fresh.TurnId"/>),
/// and a spare trainee account. Ownership failures answer 404, role failures 403.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFactory api)
{
    public enum Actor { Anonymous, Trainee, OtherTrainee, Instructor, OtherInstructor, Admin }

    public sealed record Expected(int Anonymous, int Trainee, int OtherTrainee, int Instructor, int OtherInstructor, int Admin)
    {
        public int For(Actor actor) => actor switch
        {
            Actor.Anonymous => Anonymous, Actor.Trainee => Trainee, Actor.OtherTrainee => OtherTrainee,
            Actor.Instructor => Instructor, Actor.OtherInstructor => OtherInstructor, _ => Admin,
        };
    }

    /// <summary>The people every row is tried with (made once).</summary>
    public sealed record World(TestUser Trainee, TestUser OtherTrainee, TestUser Instructor, TestUser OtherInstructor, TestUser Admin,
        TestUser SignInUser, string ScenarioSlug, string AuthoredSlug, System.Text.Json.Nodes.JsonObject AuthoredDocument)
    {
        public TestUser? User(Actor actor) => actor switch
        {
            Actor.Trainee => Trainee, Actor.OtherTrainee => OtherTrainee, Actor.Instructor => Instructor,
            Actor.OtherInstructor => OtherInstructor, Actor.Admin => Admin, _ => null,
        };
    }

    /// <summary>Resources made anew for each call, so a call that changes or deletes one affects no other.</summary>
    public sealed record Fresh(Guid CohortId, string InviteCode, Guid AssignmentId, Guid SessionId, Guid TurnId, TestUser Spare, string RefreshToken, string CollectionName);

    public sealed record MatrixRow(string Method, string Route, Func<World, Fresh, string> Url, Func<World, Fresh, object?>? Body, Expected Expected)
    {
        public string Key => $"{Method} {Route}";
        public override string ToString() => Key;
    }

    private static MatrixRow Row(string method, string route, Func<World, Fresh, string> url, Func<World, Fresh, object?>? body, Expected expected)
        => new(method, route, url, body, expected);

    private static Expected Expect(int anonymous, int trainee, int otherTrainee, int instructor, int otherInstructor, int admin)
        => new(anonymous, trainee, otherTrainee, instructor, otherInstructor, admin);

    private static Expected Everyone(int status) => new(status, status, status, status, status, status);

    private static readonly Expected SignedIn200 = Expect(401, 200, 200, 200, 200, 200);
    private static readonly Expected AdminOnly200 = Expect(401, 403, 403, 403, 403, 200);
    /// <summary>Read by the trainee, their instructor and admins; hidden (404) from everyone else.</summary>
    private static readonly Expected TraineeAndInstructor200 = Expect(401, 200, 404, 200, 404, 200);
    /// <summary>Instructor of the cohort and admins; trainees refused by role (403), other instructors by ownership (404).</summary>
    private static Expected CohortInstructor(int status) => Expect(401, 403, 403, status, 404, status);

    public static readonly MatrixRow[] Matrix =
    [
        // Public: health, status, the API description.
        // Health checks answer any method ("*"); the matrix calls them with GET.
        Row("*", "/health", (_, _) => "/health", null, Everyone(200)),
        Row("*", "/alive", (_, _) => "/alive", null, Everyone(200)),
        Row("GET", "/api/status", (_, _) => "/api/status", null, Everyone(200)),
        Row("GET", "/openapi/{documentName}.json", (_, _) => "/openapi/v1.json", null, Everyone(200)),
        Row("GET", "/scalar/{documentName?}", (_, _) => "/scalar/v1", null, Everyone(200)),
        Row("GET", "/scalar/scalar.js", (_, _) => "/scalar/scalar.js", null, Everyone(200)),
        Row("GET", "/scalar/scalar.aspnetcore.js", (_, _) => "/scalar/scalar.aspnetcore.js", null, Everyone(200)),
        Row("GET", "/scalar/favicon.svg", (_, _) => "/scalar/favicon.svg", null, Everyone(200)),

        // Scenario library: any signed-in user.
        Row("GET", "/api/scenarios/", (_, _) => "/api/scenarios", null, SignedIn200),
        Row("GET", "/api/scenarios/{slug}", (w, _) => $"/api/scenarios/{w.ScenarioSlug}", null, SignedIn200),

        // Auth.
        Row("POST", "/api/auth/token", (_, _) => "/api/auth/token", (w, _) => new { email = w.SignInUser.Email, password = w.SignInUser.Password }, Everyone(200)),
        Row("POST", "/api/auth/refresh", (_, _) => "/api/auth/refresh", (_, f) => new { refreshToken = f.RefreshToken }, Everyone(200)),
        Row("POST", "/api/auth/signup", (_, _) => "/api/auth/signup",
            (_, _) => new { email = $"new-{Guid.NewGuid():N}@tests.local", password = "a lantern over the quiet harbour", displayName = "New Trainee" }, Everyone(201)),
        Row("POST", "/api/auth/signout", (_, _) => "/api/auth/signout", null, Expect(401, 204, 204, 204, 204, 204)),
        Row("GET", "/api/auth/me", (_, _) => "/api/auth/me", null, SignedIn200),
        // The matrix's users have no password, so the current one is always wrong (400): signed in is what is checked.
        Row("POST", "/api/auth/password", (_, _) => "/api/auth/password",
            (_, _) => new { currentPassword = "not the current password", newPassword = "a heron waiting by the reeds at dawn" }, Expect(401, 400, 400, 400, 400, 400)),
        // Anyone with a reset link may use it; a made-up one is refused alike (400).
        Row("POST", "/api/auth/password/reset", (_, _) => "/api/auth/password/reset",
            (_, f) => new { userId = f.Spare.Id, token = "made-up", newPassword = "a heron waiting by the reeds at dawn" }, Everyone(400)),
        // Two-factor sign-in: staff only. A code that is not six digits is refused (400) once the role is allowed.
        Row("GET", "/api/auth/two-factor/", (_, _) => "/api/auth/two-factor", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("POST", "/api/auth/two-factor/setup", (_, _) => "/api/auth/two-factor/setup", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("POST", "/api/auth/two-factor/enable", (_, _) => "/api/auth/two-factor/enable", (_, _) => new { code = "abc" }, Expect(401, 403, 403, 400, 400, 400)),
        Row("POST", "/api/auth/two-factor/recovery-codes", (_, _) => "/api/auth/two-factor/recovery-codes", (_, _) => new { code = "abc" }, Expect(401, 403, 403, 400, 400, 400)),
        // Off already: nothing to do (204).
        Row("POST", "/api/auth/two-factor/disable", (_, _) => "/api/auth/two-factor/disable", (_, _) => new { password = "whatever it is" }, Expect(401, 403, 403, 204, 204, 204)),

        // Cohorts.
        Row("GET", "/api/cohorts/", (_, _) => "/api/cohorts", null, SignedIn200),
        Row("POST", "/api/cohorts/", (_, _) => "/api/cohorts", (_, _) => new { name = "Autumn placement" }, Expect(401, 403, 403, 201, 201, 201)),
        // The trainee is a member already (200, unchanged); the instructor teaches it (400).
        Row("POST", "/api/cohorts/join", (_, _) => "/api/cohorts/join", (_, f) => new { inviteCode = f.InviteCode }, Expect(401, 200, 200, 400, 200, 200)),
        Row("GET", "/api/cohorts/{cohortId:guid}", (_, f) => $"/api/cohorts/{f.CohortId}", null, TraineeAndInstructor200),
        Row("POST", "/api/cohorts/{cohortId:guid}/invite-code", (_, f) => $"/api/cohorts/{f.CohortId}/invite-code", null, CohortInstructor(200)),
        Row("POST", "/api/cohorts/{cohortId:guid}/members", (_, f) => $"/api/cohorts/{f.CohortId}/members", (_, f) => new { email = f.Spare.Email }, CohortInstructor(201)),
        Row("DELETE", "/api/cohorts/{cohortId:guid}/members/{userId:guid}", (w, f) => $"/api/cohorts/{f.CohortId}/members/{w.Trainee.Id}", null, CohortInstructor(204)),
        Row("GET", "/api/cohorts/{cohortId:guid}/assignments", (_, f) => $"/api/cohorts/{f.CohortId}/assignments", null, TraineeAndInstructor200),
        Row("POST", "/api/cohorts/{cohortId:guid}/assignments", (_, f) => $"/api/cohorts/{f.CohortId}/assignments",
            (w, _) => new { scenarioSlug = w.ScenarioSlug, dueAt = DateTimeOffset.UtcNow.AddDays(5) }, CohortInstructor(201)),
        Row("DELETE", "/api/cohorts/{cohortId:guid}/assignments/{assignmentId:guid}", (_, f) => $"/api/cohorts/{f.CohortId}/assignments/{f.AssignmentId}", null, CohortInstructor(204)),
        Row("GET", "/api/cohorts/{cohortId:guid}/sessions", (_, f) => $"/api/cohorts/{f.CohortId}/sessions", null, CohortInstructor(200)),
        Row("GET", "/api/assignments", (_, _) => "/api/assignments", null, SignedIn200),

        // Review of transcripts.
        Row("GET", "/api/review/sessions/{sessionId:guid}", (_, f) => $"/api/review/sessions/{f.SessionId}", null, TraineeAndInstructor200),
        Row("GET", "/api/review/sessions/{sessionId:guid}/overrides", (_, f) => $"/api/review/sessions/{f.SessionId}/overrides", null, TraineeAndInstructor200),
        Row("POST", "/api/review/turns/{turnId:guid}/comments", (_, f) => $"/api/review/turns/{f.TurnId}/comments", (_, _) => new { text = "Good use of her words." }, CohortInstructor(201)),
        Row("PUT", "/api/review/turns/{turnId:guid}/scores/{criterionKey}", (_, f) => $"/api/review/turns/{f.TurnId}/scores/{TestData.CriterionKey}",
            (_, _) => new { score = 70, reason = "Picked up the student's point." }, CohortInstructor(200)),

        // Evaluation and exemplar collections (collections belong to the instructor who imported them).
        Row("POST", "/api/evaluations", (_, _) => "/api/evaluations",
            (_, _) => new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?" }, SignedIn200),
        Row("GET", "/api/collections/", (_, _) => "/api/collections", null, SignedIn200),
        Row("GET", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}", null, SignedIn200),
        Row("PUT", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}",
            (_, _) => new { description = "Replaced", items = new[] { new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", quality = "expert" } } },
            Expect(401, 403, 403, 200, 403, 200)),
        Row("DELETE", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}", null, Expect(401, 403, 403, 204, 403, 204)),

        // Scenario authoring: instructors and admins.
        Row("GET", "/api/scenarios/{slug}/document", (w, _) => $"/api/scenarios/{w.ScenarioSlug}/document", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("GET", "/api/scenarios/{slug}/versions", (w, _) => $"/api/scenarios/{w.ScenarioSlug}/versions", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("POST", "/api/scenarios/validate", (_, _) => "/api/scenarios/validate", (w, _) => w.AuthoredDocument, Expect(401, 403, 403, 200, 200, 200)),
        Row("PUT", "/api/scenarios/{slug}", (w, _) => $"/api/scenarios/{w.AuthoredSlug}", (w, _) => w.AuthoredDocument, Expect(401, 403, 403, 200, 200, 200)),
        Row("DELETE", "/api/scenarios/{slug}", (w, _) => $"/api/scenarios/{w.AuthoredSlug}", null, Expect(401, 403, 403, 204, 204, 204)),

        // Practice: a session is its trainee's; their instructor and admins may read it, nobody else may act on it.
        Row("POST", "/api/sessions/", (_, _) => "/api/sessions", (w, _) => new { scenario = w.ScenarioSlug }, Expect(401, 201, 201, 201, 201, 201)),
        Row("GET", "/api/sessions/", (_, _) => "/api/sessions", null, SignedIn200),
        Row("GET", "/api/sessions/{id:guid}", (_, f) => $"/api/sessions/{f.SessionId}", null, TraineeAndInstructor200),
        // The fresh session has ended, so its owner is told so (409); everyone else may not know it exists.
        Row("POST", "/api/sessions/{id:guid}/turns", (_, f) => $"/api/sessions/{f.SessionId}/turns", (_, _) => new { text = "Can you tell me more?" }, Expect(401, 409, 404, 404, 404, 404)),
        // The fresh session has ended, so its owner is refused with 409; everyone else does not see it.
        Row("POST", "/api/sessions/{id:guid}/turns/last/retry", (_, f) => $"/api/sessions/{f.SessionId}/turns/last/retry", null, Expect(401, 409, 404, 404, 404, 404)),
        Row("POST", "/api/sessions/{id:guid}/end", (_, f) => $"/api/sessions/{f.SessionId}/end", null, Expect(401, 200, 404, 404, 404, 404)),
        Row("PUT", "/api/sessions/{id:guid}/reflection", (_, f) => $"/api/sessions/{f.SessionId}/reflection", (_, _) => new { text = "Next time I will ask first." }, Expect(401, 200, 404, 404, 404, 404)),
        Row("GET", "/api/progress", (_, _) => "/api/progress", null, SignedIn200),

        // Administration.
        Row("GET", "/api/admin/users/", (_, _) => "/api/admin/users", null, AdminOnly200),
        Row("GET", "/api/admin/users/{userId:guid}", (_, f) => $"/api/admin/users/{f.Spare.Id}", null, AdminOnly200),
        Row("POST", "/api/admin/users/", (_, _) => "/api/admin/users",
            (_, _) => new { email = $"staff-{Guid.NewGuid():N}@tests.local", password = "a lantern over the quiet harbour", displayName = "New Instructor", role = Roles.Instructor },
            Expect(401, 403, 403, 403, 403, 201)),
        Row("PUT", "/api/admin/users/{userId:guid}/role", (_, f) => $"/api/admin/users/{f.Spare.Id}/role", (_, _) => new { role = Roles.Instructor }, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/lock", (_, f) => $"/api/admin/users/{f.Spare.Id}/lock", (_, _) => new { reason = "test" }, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/unlock", (_, f) => $"/api/admin/users/{f.Spare.Id}/unlock", null, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/password-reset", (_, f) => $"/api/admin/users/{f.Spare.Id}/password-reset", null, AdminOnly200),
        Row("GET", "/api/admin/settings/security", (_, _) => "/api/admin/settings/security", null, AdminOnly200),
        Row("PUT", "/api/admin/settings/security", (_, _) => "/api/admin/settings/security", (_, _) => new { requireTwoFactorForStaff = false }, AdminOnly200),
    ];

    public static IEnumerable<TheoryDataRow<string>> Rows() => Matrix.Select(r => new TheoryDataRow<string>(r.Key));

    [Fact]
    public void Every_endpoint_has_a_row_and_every_row_an_endpoint()
    {
        var mapped = MappedEndpoints();
        var rows = Matrix.Select(r => r.Key).ToHashSet();
        var missing = mapped.Except(rows).Order().ToList();
        var stale = rows.Except(mapped).Order().ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            "Endpoints without a row in the authorization matrix (add one):\n" + string.Join("\n", missing)
            + "\nRows for endpoints that are not mapped (remove or correct them):\n" + string.Join("\n", stale));
        Assert.Equal(Matrix.Length, rows.Count);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_actor_gets_the_expected_status(string key)
    {
        var row = Matrix.Single(r => r.Key == key);
        var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var actor in Enum.GetValues<Actor>())
        {
            var fresh = await FreshAsync(world);
            using var client = world.User(actor) is { } user ? await api.CreateClientForAsync(user.Id) : api.CreateClient();
            using var request = new HttpRequestMessage(row.Method == "*" ? HttpMethod.Get : new HttpMethod(row.Method), row.Url(world, fresh));
            if (row.Body?.Invoke(world, fresh) is { } body)
                request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var expected = row.Expected.For(actor);
            if ((int)response.StatusCode != expected)
            {
                var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                failures.Add($"{actor}: expected {expected}, got {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            }
        }
        Assert.True(failures.Count == 0, $"{row.Key}\n" + string.Join("\n", failures));
    }

    private HashSet<string> MappedEndpoints()
        => api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

    private static readonly SemaphoreSlim WorldLock = new(1, 1);
    private static World? _world;

    private async Task<World> WorldAsync()
    {
        await WorldLock.WaitAsync();
        try
        {
            if (_world is not null) return _world;
            await using var scope = api.CreateScope();
            var slug = await TestData.AnyScenarioSlugAsync(api.Db(scope));
            var (authoredSlug, authoredDocument) = await TestData.AddAuthoredScenarioAsync(scope.ServiceProvider);
            _world = new World(
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Matrix Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Other Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Matrix Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Other Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Admin, "Matrix Admin"),
                await api.CreateUserAsync(Roles.Trainee, "Sign-in User"),
                slug, authoredSlug, authoredDocument);
            return _world;
        }
        finally
        {
            WorldLock.Release();
        }
    }

    private async Task<Fresh> FreshAsync(World world)
    {
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, world.Instructor.Id, world.Trainee.Id);
        var assignment = await TestData.AddAssignmentAsync(db, cohort.Id, world.Instructor.Id);
        var session = await TestData.AddSessionAsync(db, world.Trainee.Id, assignment.Id, turns: 1);
        var spare = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var refresh = (await api.IssueTokensAsync(world.SignInUser.Id)).RefreshToken;
        var collection = await TestData.AddCollectionAsync(db, world.Instructor.Id);
        return new Fresh(cohort.Id, cohort.InviteCode, assignment.Id, session.Id, session.Turns[0].Id, spare, refresh, collection);
    }
}
