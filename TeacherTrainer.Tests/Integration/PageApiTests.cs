using System.Text.Json;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The calls designed for one page each (docs/architecture.md, "Pages"): each answers with what its page shows,
/// the same as the endpoints it replaces, and hides what they hide.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PageApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_review_and_summary_pages_hold_the_transcript_the_comments_and_the_score_changes()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Ms Okafor");
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Ada Trainee");
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id);
        var session = await TestData.AddSessionAsync(db, traineeUser.Id, (await TestData.AddAssignmentAsync(db, cohort.Id, instructorUser.Id)).Id);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        var second = session.Turns[1].Id;
        Assert.Equal(HttpStatusCode.Created, (await instructor.PostAsJsonAsync($"/api/review/turns/{second}/comments", new { text = "Good question to open with." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PutAsJsonAsync($"/api/review/turns/{second}/scores/{TestData.CriterionKey}", new { score = 75, reason = "She built on his answer." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainee.PutAsJsonAsync($"/api/sessions/{session.Id}/reflection", new { text = "I rushed the first reply." }, Ct)).StatusCode);

        // The instructor's review page: the review as the review endpoint gives it, the session and the score changes.
        var page = await instructor.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}/review-page", Ct);
        var review = await instructor.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}", Ct);
        Assert.Equal(review.GetRawText(), page.GetProperty("review").GetRawText());
        Assert.True(page.GetProperty("review").GetProperty("canReview").GetBoolean());
        Assert.Equal(session.Id, page.GetProperty("session").GetProperty("id").GetGuid());
        Assert.Equal(2, page.GetProperty("session").GetProperty("turns").GetArrayLength());
        // The reflection is the trainee's own until they share it, on the page as on the session.
        Assert.False(page.GetProperty("session").TryGetProperty("reflection", out var hidden) && hidden.ValueKind == JsonValueKind.String);
        var change = Assert.Single(page.GetProperty("overrides").EnumerateArray());
        Assert.Equal(75, change.GetProperty("newScore").GetInt32());
        Assert.Equal("Ms Okafor", change.GetProperty("changedByName").GetString());

        // The trainee's summary page: their transcript with the reflection, the comment on the turn it is on, the change.
        var summary = await trainee.GetFromJsonAsync<JsonElement>($"/api/review/sessions/{session.Id}/summary-page", Ct);
        Assert.Equal("I rushed the first reply.", summary.GetProperty("session").GetProperty("reflection").GetString());
        var onTurn = Assert.Single(summary.GetProperty("comments").EnumerateArray());
        Assert.Equal(second, onTurn.GetProperty("turnId").GetGuid());
        var comment = Assert.Single(onTurn.GetProperty("comments").EnumerateArray());
        Assert.Equal("Good question to open with.", comment.GetProperty("text").GetString());
        Assert.Equal("Ms Okafor", comment.GetProperty("authorName").GetString());
        Assert.Single(summary.GetProperty("overrides").EnumerateArray());

        // The review page is for instructors: the trainee is refused by role; an unknown session is a problem, not a crash.
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.GetAsync($"/api/review/sessions/{session.Id}/review-page", Ct)).StatusCode);
        var unknown = await instructor.GetAsync($"/api/review/sessions/{Guid.NewGuid()}/summary-page", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_editor_offers_its_authors_their_cohorts_and_collections_and_other_authors_nothing()
    {
        var ownerUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Mr Reyes");
        var otherUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Ms Other");
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, ownerUser.Id, traineeUser.Id);
        await TestData.AddCohortAsync(db, otherUser.Id);
        var collection = await TestData.AddCollectionAsync(db, ownerUser.Id);
        var othersCollection = await TestData.AddCollectionAsync(db, otherUser.Id, cohort.Id);
        var slug = await TestData.CloneScenarioAsync(db, "authored", ownerUser.Id, published: true);
        using var owner = await api.CreateClientForAsync(ownerUser.Id);
        using var other = await api.CreateClientForAsync(otherUser.Id);

        var editor = await owner.GetFromJsonAsync<JsonElement>($"/api/scenarios/{slug}/editor", Ct);
        var document = await owner.GetFromJsonAsync<JsonElement>($"/api/scenarios/{slug}/document", Ct);
        Assert.Equal(document.GetRawText(), editor.GetProperty("document").GetRawText());
        Assert.True(editor.GetProperty("ownership").GetProperty("canEdit").GetBoolean());
        var offered = Assert.Single(editor.GetProperty("cohorts").EnumerateArray());
        Assert.Equal(cohort.Id, offered.GetProperty("id").GetGuid());
        Assert.Equal(1, offered.GetProperty("memberCount").GetInt32());
        // Only collections the author may change: not one another instructor shared with their cohort.
        var collections = editor.GetProperty("collections").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains(collection, collections);
        Assert.DoesNotContain(othersCollection, collections);

        // Another author reads it to copy it: no cohorts, no collections (not even their own) to offer.
        var readOnly = await other.GetFromJsonAsync<JsonElement>($"/api/scenarios/{slug}/editor", Ct);
        Assert.False(readOnly.GetProperty("ownership").GetProperty("canEdit").GetBoolean());
        Assert.Equal(0, readOnly.GetProperty("cohorts").GetArrayLength());
        Assert.Equal(0, readOnly.GetProperty("collections").GetArrayLength());

        var unknown = await owner.GetAsync("/api/scenarios/no-such-scenario/editor", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_cohort_page_offers_the_library_and_what_is_published_to_that_cohort_only()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Dr Haas");
        var memberInstructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        // Another instructor may join a cohort as a member: that shows them the cohort, not its page.
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id, memberInstructorUser.Id);
        var sibling = await TestData.AddCohortAsync(db, instructorUser.Id);
        var ours = await TestData.CloneScenarioAsync(db, "authored", instructorUser.Id, published: false);
        var theirs = await TestData.CloneScenarioAsync(db, "authored", instructorUser.Id, published: false);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var memberInstructor = await api.CreateClientForAsync(memberInstructorUser.Id);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PostAsJsonAsync($"/api/scenarios/{ours}/publish", new { audience = "cohorts", cohortIds = new[] { cohort.Id } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PostAsJsonAsync($"/api/scenarios/{theirs}/publish", new { audience = "cohorts", cohortIds = new[] { sibling.Id } }, Ct)).StatusCode);

        var page = await instructor.GetFromJsonAsync<JsonElement>($"/api/cohorts/{cohort.Id}/page", Ct);
        var details = await instructor.GetFromJsonAsync<JsonElement>($"/api/cohorts/{cohort.Id}", Ct);
        Assert.Equal(details.GetRawText(), page.GetProperty("cohort").GetRawText());
        var assignable = page.GetProperty("assignable").EnumerateArray().Select(s => (Slug: s.GetProperty("slug").GetString(), Source: s.GetProperty("source").GetString())).ToList();
        // This cohort's own scenario first, then the library; not the one published to the sibling cohort.
        Assert.Equal((ours, "authored"), assignable[0]);
        Assert.DoesNotContain(assignable, s => s.Slug == theirs);
        Assert.Contains((await TestData.AnyScenarioSlugAsync(db), "library"), assignable);

        Assert.Equal(HttpStatusCode.OK, (await memberInstructor.GetAsync($"/api/cohorts/{cohort.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await memberInstructor.GetAsync($"/api/cohorts/{cohort.Id}/page", Ct)).StatusCode);
    }
}
