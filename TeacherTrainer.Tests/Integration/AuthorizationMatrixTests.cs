using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Cohorts;
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
///
/// <see cref="ScopeMatrix"/> adds consent and scope (docs/security.md): the same endpoints on sessions
/// the instructor may not see (practised outside assignments and unshared, from before joining) and
/// may (shared), and sessions started for an assignment that is not the caller's or not of its scenario.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFactory api)
{
    public enum Actor { Anonymous, Trainee, OtherTrainee, Instructor, OtherInstructor, Admin }

    public sealed record Expected(int Anonymous, int Trainee, int OtherTrainee, int Instructor, int OtherInstructor, int Admin)
    {
        public int For(Actor actor) => actor switch
        {
            Actor.Anonymous => Anonymous,
            Actor.Trainee => Trainee,
            Actor.OtherTrainee => OtherTrainee,
            Actor.Instructor => Instructor,
            Actor.OtherInstructor => OtherInstructor,
            _ => Admin,
        };
    }

    /// <summary>The people every row is tried with (made once).</summary>
    public sealed record World(TestUser Trainee, TestUser OtherTrainee, TestUser Instructor, TestUser OtherInstructor, TestUser Admin,
        TestUser SignInUser, string ScenarioSlug, string OtherScenarioSlug, string AuthoredSlug, System.Text.Json.Nodes.JsonObject AuthoredDocument)
    {
        public TestUser? User(Actor actor) => actor switch
        {
            Actor.Trainee => Trainee,
            Actor.OtherTrainee => OtherTrainee,
            Actor.Instructor => Instructor,
            Actor.OtherInstructor => OtherInstructor,
            Actor.Admin => Admin,
            _ => null,
        };
    }

    /// <summary>Resources made anew for each call, so a call that changes or deletes one affects no other.</summary>
    /// <param name="CollectionName">The instructor's collection, shared with the fresh cohort (so the trainee sees it).</param>
    /// <param name="InvitationId">A pending invitation to the fresh cohort addressed to <see cref="World.OtherTrainee"/>.</param>
    /// <param name="UnsharedSessionId">A session of the trainee practised outside any assignment and not shared.</param>
    /// <param name="SharedSessionId">A session of the trainee outside any assignment, shared with the fresh cohort.</param>
    /// <param name="EarlySessionId">A session of the trainee for an assignment of <see cref="LateCohortId"/>, begun before they joined it.</param>
    /// <param name="DraftSlug">The instructor's draft scenario; <paramref name="PublishedSlug"/> their published one.</param>
    public sealed record Fresh(Guid CohortId, string InviteCode, Guid AssignmentId, Guid SessionId, Guid TurnId, TestUser Spare, string RefreshToken, string CollectionName,
        Guid InvitationId, Guid UnsharedSessionId, Guid UnsharedTurnId, Guid SharedSessionId, Guid LateCohortId, Guid EarlySessionId,
        string DraftSlug, string PublishedSlug);

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
        // Every layer's detail (versions, timings, what failed): administrators only.
        Row("GET", "/api/admin/status", (_, _) => "/api/admin/status", null, AdminOnly200),
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
        // Nobody is added by someone else: an instructor invites an email (the same 202 whether or not an account has it) ...
        Row("POST", "/api/cohorts/{cohortId:guid}/invitations", (_, f) => $"/api/cohorts/{f.CohortId}/invitations", (_, f) => new { email = f.Spare.Email }, CohortInstructor(202)),
        Row("POST", "/api/cohorts/{cohortId:guid}/invitations/bulk", (_, f) => $"/api/cohorts/{f.CohortId}/invitations/bulk", (_, f) => new { csv = $"name,email\nSpare,{f.Spare.Email}\n" }, CohortInstructor(200)),
        Row("DELETE", "/api/cohorts/{cohortId:guid}/invitations/{invitationId:guid}", (_, f) => $"/api/cohorts/{f.CohortId}/invitations/{f.InvitationId}", null, CohortInstructor(204)),
        // ... and only the invitee (the other trainee) sees, accepts or declines it; to anyone else it does not exist.
        Row("GET", "/api/invitations/", (_, _) => "/api/invitations", null, SignedIn200),
        Row("POST", "/api/invitations/{invitationId:guid}/accept", (_, f) => $"/api/invitations/{f.InvitationId}/accept", null, Expect(401, 404, 200, 404, 404, 404)),
        Row("POST", "/api/invitations/{invitationId:guid}/decline", (_, f) => $"/api/invitations/{f.InvitationId}/decline", null, Expect(401, 404, 204, 404, 404, 404)),
        // Only a member leaves (the instructor and admin are not members).
        Row("DELETE", "/api/cohorts/{cohortId:guid}/membership", (_, f) => $"/api/cohorts/{f.CohortId}/membership", null, Expect(401, 204, 404, 404, 404, 404)),
        Row("DELETE", "/api/cohorts/{cohortId:guid}/members/{userId:guid}", (w, f) => $"/api/cohorts/{f.CohortId}/members/{w.Trainee.Id}", null, CohortInstructor(204)),
        Row("GET", "/api/cohorts/{cohortId:guid}/assignments", (_, f) => $"/api/cohorts/{f.CohortId}/assignments", null, TraineeAndInstructor200),
        Row("POST", "/api/cohorts/{cohortId:guid}/assignments", (_, f) => $"/api/cohorts/{f.CohortId}/assignments",
            (w, _) => new { scenarioSlug = w.ScenarioSlug, dueAt = DateTimeOffset.UtcNow.AddDays(5) }, CohortInstructor(201)),
        Row("DELETE", "/api/cohorts/{cohortId:guid}/assignments/{assignmentId:guid}", (_, f) => $"/api/cohorts/{f.CohortId}/assignments/{f.AssignmentId}", null, CohortInstructor(204)),
        Row("GET", "/api/cohorts/{cohortId:guid}/sessions", (_, f) => $"/api/cohorts/{f.CohortId}/sessions", null, CohortInstructor(200)),
        Row("GET", "/api/assignments", (_, _) => "/api/assignments", null, SignedIn200),
        // Cohort insight: its instructor and admins; trainees by role (403), other instructors by ownership (404).
        Row("GET", "/api/cohorts/{cohortId:guid}/dashboard", (_, f) => $"/api/cohorts/{f.CohortId}/dashboard", null, CohortInstructor(200)),
        Row("GET", "/api/cohorts/{cohortId:guid}/debrief", (_, f) => $"/api/cohorts/{f.CohortId}/debrief?turn=1", null, CohortInstructor(200)),
        Row("GET", "/api/cohorts/{cohortId:guid}/export.csv", (_, f) => $"/api/cohorts/{f.CohortId}/export.csv", null, CohortInstructor(200)),
        // The cohort page's frame (the cohort with its invitation code, and what may be assigned): its instructor and admins.
        Row("GET", "/api/cohorts/{cohortId:guid}/page", (_, f) => $"/api/cohorts/{f.CohortId}/page", null, CohortInstructor(200)),

        // Review of transcripts.
        Row("GET", "/api/review/sessions/{sessionId:guid}", (_, f) => $"/api/review/sessions/{f.SessionId}", null, TraineeAndInstructor200),
        Row("GET", "/api/review/sessions/{sessionId:guid}/overrides", (_, f) => $"/api/review/sessions/{f.SessionId}/overrides", null, TraineeAndInstructor200),
        Row("POST", "/api/review/turns/{turnId:guid}/comments", (_, f) => $"/api/review/turns/{f.TurnId}/comments", (_, _) => new { text = "Good use of her words." }, CohortInstructor(201)),
        Row("PUT", "/api/review/turns/{turnId:guid}/scores/{criterionKey}", (_, f) => $"/api/review/turns/{f.TurnId}/scores/{TestData.CriterionKey}",
            (_, _) => new { score = 70, reason = "Picked up the student's point." }, CohortInstructor(200)),
        // The pages that show a whole session: the review page is for instructors (the trainee reads the summary page).
        Row("GET", "/api/review/sessions/{sessionId:guid}/review-page", (_, f) => $"/api/review/sessions/{f.SessionId}/review-page", null, CohortInstructor(200)),
        Row("GET", "/api/review/sessions/{sessionId:guid}/summary-page", (_, f) => $"/api/review/sessions/{f.SessionId}/summary-page", null, TraineeAndInstructor200),

        // Evaluation and exemplar collections (collections belong to the instructor who imported them).
        Row("POST", "/api/evaluations", (_, _) => "/api/evaluations",
            (_, _) => new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?" }, SignedIn200),
        Row("GET", "/api/collections/", (_, _) => "/api/collections", null, SignedIn200),
        // Visible to its owner, the cohorts it is shared with (the trainee's) and admins; hidden (404) from others.
        Row("GET", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}", null, TraineeAndInstructor200),
        // Another instructor cannot see it, but names are unique: the name is in use (409).
        Row("PUT", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}",
            (_, _) => new { description = "Replaced", items = new[] { new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", quality = "expert" } } },
            Expect(401, 403, 403, 200, 409, 200)),
        Row("DELETE", "/api/collections/{name}", (_, f) => $"/api/collections/{f.CollectionName}", null, CohortInstructor(204)),
        // The quality view quotes every item: its owner and admins; trainees refused by role, other instructors told nothing.
        Row("GET", "/api/collections/{name}/quality", (_, f) => $"/api/collections/{f.CollectionName}/quality", null, CohortInstructor(200)),
        Row("PUT", "/api/collections/{name}/shares/{cohortId:guid}", (_, f) => $"/api/collections/{f.CollectionName}/shares/{f.CohortId}", null, CohortInstructor(200)),
        Row("DELETE", "/api/collections/{name}/shares/{cohortId:guid}", (_, f) => $"/api/collections/{f.CollectionName}/shares/{f.CohortId}", null, CohortInstructor(204)),
        // Attachments: the collection's owner (or an admin) attaches it to a scenario they edit or a cohort they teach.
        Row("GET", "/api/collections/{name}/attachments/", (_, f) => $"/api/collections/{f.CollectionName}/attachments", null, CohortInstructor(200)),
        Row("PUT", "/api/collections/{name}/attachments/scenarios/{slug}", (_, f) => $"/api/collections/{f.CollectionName}/attachments/scenarios/{f.DraftSlug}", null, CohortInstructor(200)),
        Row("DELETE", "/api/collections/{name}/attachments/scenarios/{slug}", (_, f) => $"/api/collections/{f.CollectionName}/attachments/scenarios/{f.DraftSlug}", null, CohortInstructor(204)),
        Row("PUT", "/api/collections/{name}/attachments/cohorts/{cohortId:guid}", (_, f) => $"/api/collections/{f.CollectionName}/attachments/cohorts/{f.CohortId}", null, CohortInstructor(200)),
        Row("DELETE", "/api/collections/{name}/attachments/cohorts/{cohortId:guid}", (_, f) => $"/api/collections/{f.CollectionName}/attachments/cohorts/{f.CohortId}", null, CohortInstructor(204)),

        // Scenario authoring: instructors and admins; a scenario is its owner's (the instructor's), a draft is
        // hidden from other instructors (404), a published one they may read and copy but not change (403).
        // OwnershipMatrixTests tries the library, drafts, co-authors and collections in more detail.
        Row("GET", "/api/scenarios/mine", (_, _) => "/api/scenarios/mine", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("GET", "/api/scenarios/{slug}/document", (_, f) => $"/api/scenarios/{f.DraftSlug}/document", null, Expect(401, 403, 403, 200, 404, 200)),
        Row("GET", "/api/scenarios/{slug}/versions", (_, f) => $"/api/scenarios/{f.DraftSlug}/versions", null, Expect(401, 403, 403, 200, 404, 200)),
        Row("GET", "/api/scenarios/{slug}/ownership", (_, f) => $"/api/scenarios/{f.DraftSlug}/ownership", null, Expect(401, 403, 403, 200, 404, 200)),
        // The editor's one call: another author does not see the draft (404).
        Row("GET", "/api/scenarios/{slug}/editor", (_, f) => $"/api/scenarios/{f.DraftSlug}/editor", null, Expect(401, 403, 403, 200, 404, 200)),
        Row("POST", "/api/scenarios/validate", (_, _) => "/api/scenarios/validate", (w, _) => w.AuthoredDocument, Expect(401, 403, 403, 200, 200, 200)),
        Row("POST", "/api/scenarios/{slug}/diff", (_, f) => $"/api/scenarios/{f.DraftSlug}/diff", (w, f) => WithSlug(w.AuthoredDocument, f.DraftSlug), Expect(401, 403, 403, 200, 404, 200)),
        Row("PUT", "/api/scenarios/{slug}", (_, f) => $"/api/scenarios/{f.PublishedSlug}", (w, f) => WithSlug(w.AuthoredDocument, f.PublishedSlug), Expect(401, 403, 403, 200, 403, 200)),
        Row("POST", "/api/scenarios/{slug}/publish", (_, f) => $"/api/scenarios/{f.DraftSlug}/publish", (_, f) => new { audience = "cohorts", cohortIds = new[] { f.CohortId } }, Expect(401, 403, 403, 200, 404, 200)),
        Row("GET", "/api/cohorts/scenarios", (_, _) => "/api/cohorts/scenarios", null, SignedIn200),
        Row("DELETE", "/api/scenarios/{slug}", (_, f) => $"/api/scenarios/{f.PublishedSlug}", null, Expect(401, 403, 403, 204, 403, 204)),
        Row("POST", "/api/scenarios/{slug}/copy", (w, _) => $"/api/scenarios/{w.ScenarioSlug}/copy", (_, _) => new { }, Expect(401, 403, 403, 201, 201, 201)),
        Row("POST", "/api/scenarios/{slug}/coauthors", (_, f) => $"/api/scenarios/{f.DraftSlug}/coauthors", (_, _) => new { email = "co.author@tests.local" }, Expect(401, 403, 403, 200, 404, 200)),
        Row("DELETE", "/api/scenarios/{slug}/coauthors/{email}", (_, f) => $"/api/scenarios/{f.DraftSlug}/coauthors/co.author@tests.local", null, Expect(401, 403, 403, 204, 404, 204)),

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
        // Sharing: each trainee sees their own; only the owner shares a session, with cohorts they belong to.
        Row("GET", "/api/sharing", (_, _) => "/api/sharing", null, SignedIn200),
        Row("PUT", "/api/sessions/{id:guid}/sharing", (_, f) => $"/api/sessions/{f.UnsharedSessionId}/sharing", (_, f) => new { cohortIds = new[] { f.CohortId }, reflection = true },
            Expect(401, 200, 404, 404, 404, 404)),

        // Administration.
        Row("GET", "/api/admin/users/", (_, _) => "/api/admin/users", null, AdminOnly200),
        Row("GET", "/api/admin/users/{userId:guid}", (_, f) => $"/api/admin/users/{f.Spare.Id}", null, AdminOnly200),
        Row("POST", "/api/admin/users/", (_, _) => "/api/admin/users",
            (_, _) => new { email = $"staff-{Guid.NewGuid():N}@tests.local", password = "a lantern over the quiet harbour", displayName = "New Instructor", role = Roles.Instructor },
            Expect(401, 403, 403, 403, 403, 201)),
        Row("PUT", "/api/admin/users/{userId:guid}/role", (_, f) => $"/api/admin/users/{f.Spare.Id}/role", (_, _) => new { role = Roles.Instructor, reason = "matrix row" }, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/lock", (_, f) => $"/api/admin/users/{f.Spare.Id}/lock", (_, _) => new { reason = "test" }, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/unlock", (_, f) => $"/api/admin/users/{f.Spare.Id}/unlock", null, AdminOnly200),
        Row("POST", "/api/admin/users/{userId:guid}/password-reset", (_, f) => $"/api/admin/users/{f.Spare.Id}/password-reset", null, AdminOnly200),
        Row("GET", "/api/admin/settings/security", (_, _) => "/api/admin/settings/security", null, AdminOnly200),
        Row("PUT", "/api/admin/settings/security", (_, _) => "/api/admin/settings/security", (_, _) => new { requireTwoFactorForStaff = false }, AdminOnly200),
    ];

    public static IEnumerable<TheoryDataRow<string>> Rows() => Matrix.Select(r => new TheoryDataRow<string>(r.Key));

    /// <summary>
    /// Consent and scope, beyond one row per endpoint: the same endpoints on sessions the instructor
    /// may and may not see (practised outside assignments, shared, from before joining) and sessions
    /// started for assignments that are not the caller's or not of that scenario. Keyed by what they show.
    /// </summary>
    public static readonly MatrixRow[] ScopeMatrix =
    [
        // An unshared session outside any assignment: the trainee's own (and an admin's, for support), not their instructor's.
        Row("GET", "unshared session", (_, f) => $"/api/sessions/{f.UnsharedSessionId}", null, Expect(401, 200, 404, 404, 404, 200)),
        Row("GET", "unshared session's review", (_, f) => $"/api/review/sessions/{f.UnsharedSessionId}", null, Expect(401, 200, 404, 404, 404, 200)),
        Row("GET", "unshared session's review page", (_, f) => $"/api/review/sessions/{f.UnsharedSessionId}/review-page", null, Expect(401, 403, 403, 404, 404, 200)),
        Row("GET", "unshared session's summary page", (_, f) => $"/api/review/sessions/{f.UnsharedSessionId}/summary-page", null, Expect(401, 200, 404, 404, 404, 200)),
        Row("GET", "shared session's review page", (_, f) => $"/api/review/sessions/{f.SharedSessionId}/review-page", null, CohortInstructor(200)),
        // A published scenario opens read-only in another author's editor (PageApiTests checks it offers them nothing).
        Row("GET", "published scenario's editor", (_, f) => $"/api/scenarios/{f.PublishedSlug}/editor", null, Expect(401, 403, 403, 200, 200, 200)),
        Row("POST", "comment on an unshared session", (_, f) => $"/api/review/turns/{f.UnsharedTurnId}/comments", (_, _) => new { text = "Seen." }, Expect(401, 403, 403, 404, 404, 201)),
        Row("PUT", "override on an unshared session", (_, f) => $"/api/review/turns/{f.UnsharedTurnId}/scores/{TestData.CriterionKey}",
            (_, _) => new { score = 3, reason = "Not yours to mark." }, Expect(401, 403, 403, 404, 404, 200)),
        // The same kind of session once shared with the instructor's cohort.
        Row("GET", "shared session", (_, f) => $"/api/sessions/{f.SharedSessionId}", null, TraineeAndInstructor200),
        // A session for the late cohort's assignment, begun before the trainee joined it: hidden from that cohort's instructor.
        Row("GET", "session from before joining", (_, f) => $"/api/sessions/{f.EarlySessionId}", null, Expect(401, 200, 404, 404, 404, 200)),
        Row("GET", "cohort sessions list (only assignment and shared)", (_, f) => $"/api/cohorts/{f.CohortId}/sessions", null, CohortInstructor(200)),
        // Assignments: only a member of its cohort may practise for it, and only on its scenario.
        Row("POST", "session for the cohort's assignment", (_, _) => "/api/sessions", (w, f) => new { scenario = w.ScenarioSlug, assignmentId = f.AssignmentId },
            Expect(401, 201, 400, 400, 400, 400)),
        Row("POST", "session of another scenario for the assignment", (_, _) => "/api/sessions", (w, f) => new { scenario = w.OtherScenarioSlug, assignmentId = f.AssignmentId },
            Expect(401, 400, 400, 400, 400, 400)),
    ];

    public static IEnumerable<TheoryDataRow<string>> ScopeRows() => ScopeMatrix.Select(r => new TheoryDataRow<string>(r.Key));

    [Theory]
    [MemberData(nameof(ScopeRows))]
    public async Task Each_actor_sees_only_what_consent_and_scope_allow(string key)
        => await CheckAsync(ScopeMatrix.Single(r => r.Key == key), async (_, f, body) =>
        {
            // The instructor's list of the cohort's sessions holds the assignment and shared sessions only.
            if (key.Contains("list", StringComparison.Ordinal) && body.ValueKind == JsonValueKind.Array)
            {
                var ids = body.EnumerateArray().Select(x => x.GetProperty("sessionId").GetGuid()).ToHashSet();
                Assert.Equal(new HashSet<Guid> { f.SessionId, f.SharedSessionId }, ids);
            }
            await Task.CompletedTask;
        });

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
        => await CheckAsync(Matrix.Single(r => r.Key == key), null);

    private async Task CheckAsync(MatrixRow row, Func<Actor, Fresh, JsonElement, Task>? inspect)
    {
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
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if ((int)response.StatusCode != expected)
            {
                failures.Add($"{actor}: expected {expected}, got {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            }
            else if (inspect is not null && response.IsSuccessStatusCode && text.Length > 0)
            {
                await inspect(actor, fresh, JsonDocument.Parse(text).RootElement);
            }
        }
        Assert.True(failures.Count == 0, $"{row.Key}\n" + string.Join("\n", failures));
    }

    private static System.Text.Json.Nodes.JsonObject WithSlug(System.Text.Json.Nodes.JsonObject document, string slug)
    {
        var copy = document.DeepClone().AsObject();
        copy["slug"] = slug;
        return copy;
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
            // Its content is the first library scenario's: the body of PUT rows, with their slug.
            _world = new World(
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Matrix Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Other Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Matrix Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Other Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Admin, "Matrix Admin"),
                await api.CreateUserAsync(Roles.Trainee, "Sign-in User"),
                slug, await api.Db(scope).Scenarios.Where(s => s.Source == "library" && !s.IsArchived && s.Slug != slug).OrderBy(s => s.Slug).Select(s => s.Slug).FirstAsync(),
                authoredSlug, authoredDocument);
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
        var collection = await TestData.AddCollectionAsync(db, world.Instructor.Id, cohort.Id);
        var invitation = await TestData.AddInvitationAsync(db, cohort.Id, world.OtherTrainee.Email, world.Instructor.Id);
        var unshared = await TestData.AddSessionAsync(db, world.Trainee.Id, turns: 1);
        var shared = await TestData.AddSessionAsync(db, world.Trainee.Id, turns: 1);
        db.SessionShares.Add(new SessionShare { SessionId = shared.Id, CohortId = cohort.Id, SharedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        // A cohort of the same instructor that the trainee joined only now, after practising its assignment's scenario for it.
        var late = await TestData.AddCohortAsync(db, world.Instructor.Id);
        var lateAssignment = await TestData.AddAssignmentAsync(db, late.Id, world.Instructor.Id);
        var early = await TestData.AddSessionAsync(db, world.Trainee.Id, lateAssignment.Id, turns: 1);
        await TestData.AddMemberAsync(db, late.Id, world.Trainee.Id, DateTimeOffset.UtcNow);
        var draft = await TestData.CloneScenarioAsync(db, "authored", world.Instructor.Id, published: false);
        var published = await TestData.CloneScenarioAsync(db, "authored", world.Instructor.Id, published: true);
        return new Fresh(cohort.Id, cohort.InviteCode, assignment.Id, session.Id, session.Turns[0].Id, spare, refresh, collection,
            invitation.Id, unshared.Id, unshared.Turns[0].Id, shared.Id, late.Id, early.Id, draft, published);
    }
}
