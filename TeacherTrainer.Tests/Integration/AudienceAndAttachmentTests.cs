using Microsoft.AspNetCore.Mvc;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Publishing to an audience (an author's cohorts, or the library for everyone by an admin), and
/// collections attached to a scenario or a cohort judging the practice there, against the real API and database.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AudienceAndAttachmentTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Library = "year1-lego-rocket-tidy-up-refusal";

    [Fact]
    public async Task A_scenario_published_to_a_cohort_is_seen_by_its_trainees_only_and_only_an_admin_puts_it_in_the_library()
    {
        var instructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var otherInstructorUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var outsiderUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var instructor = await api.CreateClientForAsync(instructorUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        using var outsider = await api.CreateClientForAsync(outsiderUser.Id);
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, instructorUser.Id, traineeUser.Id);
        var otherCohort = await TestData.AddCohortAsync(db, otherInstructorUser.Id, outsiderUser.Id);

        var slug = $"aud-{Guid.NewGuid():N}"[..20];
        (await instructor.PostAsJsonAsync($"/api/scenarios/{Library}/copy", new { slug }, Ct)).EnsureSuccessStatusCode();

        // Not to the library (admins only), not to a cohort the author does not teach, not to nobody.
        var library = await instructor.PostAsync($"/api/scenarios/{slug}/publish", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, library.StatusCode);
        Assert.Contains("cohorts", (await library.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail);
        var notMine = await instructor.PostAsJsonAsync($"/api/scenarios/{slug}/publish", new { audience = "cohorts", cohortIds = new[] { otherCohort.Id } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notMine.StatusCode);
        Assert.Contains("cohortIds", await notMine.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.PostAsJsonAsync($"/api/scenarios/{slug}/publish", new { audience = "cohorts", cohortIds = Array.Empty<Guid>() }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);

        var published = await instructor.PostAsJsonAsync($"/api/scenarios/{slug}/publish", new { audience = "cohorts", cohortIds = new[] { cohort.Id } }, Ct);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var answer = (await published.Content.ReadFromJsonAsync<PublishedScenario>(Ct))!;
        Assert.Equal(ScenarioStatus.Published, answer.Status);
        Assert.Equal(PublishAudiences.Cohorts, answer.Audience);
        var ownership = (await instructor.GetFromJsonAsync<ScenarioOwnership>($"/api/scenarios/{slug}/ownership", Ct))!;
        Assert.Equal(PublishAudiences.Cohorts, ownership.Audience);
        Assert.Equal(cohort.Name, Assert.Single(ownership.Cohorts!).Name);

        // The cohort's trainee sees it (briefing, practice, their cohorts' list), not in the shared catalog.
        Assert.Equal(HttpStatusCode.OK, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
        await SessionApi.StartSessionAsync(trainee, slug);
        var theirs = Assert.Single((await trainee.GetFromJsonAsync<List<CohortScenarioCard>>("/api/cohorts/scenarios", Ct))!, c => c.Slug == slug);
        Assert.Equal([cohort.Name], theirs.Cohorts);
        Assert.DoesNotContain(slug, await trainee.GetStringAsync($"/api/scenarios?fresh={Guid.NewGuid():N}", Ct));
        // A trainee of another cohort: it does not exist (the trainee's look at the briefing was not cached for them).
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("/api/sessions", new { scenario = slug }, Ct)).StatusCode);
        Assert.DoesNotContain((await outsider.GetFromJsonAsync<List<CohortScenarioCard>>("/api/cohorts/scenarios", Ct))!, c => c.Slug == slug);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("/api/evaluations",
            new { context = new[] { new { speaker = "student", text = "No!" } }, response = "Let's keep it safe.", scenarioId = slug }, Ct)).StatusCode);
        // Its instructor may assign it to the cohort it is published to; another instructor cannot to theirs.
        using var otherInstructor = await api.CreateClientForAsync(otherInstructorUser.Id);
        var due = DateTimeOffset.UtcNow.AddDays(3);
        Assert.Equal(HttpStatusCode.Created, (await instructor.PostAsJsonAsync($"/api/cohorts/{cohort.Id}/assignments", new { scenarioSlug = slug, dueAt = due }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await otherInstructor.PostAsJsonAsync($"/api/cohorts/{otherCohort.Id}/assignments", new { scenarioSlug = slug, dueAt = due }, Ct)).StatusCode);

        // An admin puts it in the library: now everyone sees it, in the catalog too.
        var toLibrary = await admin.PostAsJsonAsync($"/api/scenarios/{slug}/publish", new { audience = "library" }, Ct);
        Assert.Equal(PublishAudiences.Library, (await toLibrary.Content.ReadFromJsonAsync<PublishedScenario>(Ct))!.Audience);
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
        Assert.Contains(slug, await outsider.GetStringAsync($"/api/scenarios?fresh={Guid.NewGuid():N}", Ct));
        // And back to the cohort only: the outsider loses it again (the cached library answers were evicted).
        (await admin.PostAsJsonAsync($"/api/scenarios/{slug}/publish", new { audience = "cohorts", cohortIds = new[] { cohort.Id } }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);

        // The built-in library stays for everyone: it cannot be narrowed to a cohort.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/scenarios/{Library}/publish", new { audience = "cohorts", cohortIds = new[] { cohort.Id } }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_collection_attached_to_a_cohort_or_a_scenario_judges_the_practice_there_and_the_judgement_names_it()
    {
        var ownerUser = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var traineeUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var outsiderUser = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var owner = await api.CreateClientForAsync(ownerUser.Id);
        using var trainee = await api.CreateClientForAsync(traineeUser.Id);
        using var outsider = await api.CreateClientForAsync(outsiderUser.Id);
        using var other = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, ownerUser.Id, traineeUser.Id);
        var collection = await TestData.AddCollectionAsync(db, ownerUser.Id);
        const string reply = "You worked so hard on that rocket. Shall we keep it safe on the shelf while we tidy?";

        async Task<Judgement> JudgementAsync(HttpClient client, string slug)
        {
            var id = (await SessionApi.StartSessionAsync(client, slug)).Id;
            return (await SessionApi.TakeTurnAsync(client, id, reply)).Turn.Judgement;
        }

        // Before: the scenario's own exemplars judge it.
        Assert.Equal("scenario", (await JudgementAsync(trainee, Library)).Basis);

        // Attached to the cohort: its trainee's practice is judged against the collection, and says so; an outsider's is not.
        var attached = await owner.PutAsync($"/api/collections/{collection}/attachments/cohorts/{cohort.Id}", null, Ct);
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Equal(cohort.Id, Assert.Single((await attached.Content.ReadFromJsonAsync<CollectionAttachments>(Ct))!.Cohorts).Id);
        var judged = await JudgementAsync(trainee, Library);
        Assert.Equal("collection", judged.Basis);
        Assert.Equal(collection, judged.BasisReference);
        Assert.Equal("scenario", (await JudgementAsync(outsider, Library)).Basis);

        // Nobody else attaches it, nor to a cohort the owner does not teach.
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsync($"/api/collections/{collection}/attachments/cohorts/{cohort.Id}", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.PutAsync($"/api/collections/{collection}/attachments/cohorts/{cohort.Id}", null, Ct)).StatusCode);
        var elsewhere = await TestData.AddCohortAsync(db, (await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PutAsync($"/api/collections/{collection}/attachments/cohorts/{elsewhere.Id}", null, Ct)).StatusCode);

        // Detached: judged against the scenario again.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/collections/{collection}/attachments/cohorts/{cohort.Id}", Ct)).StatusCode);
        Assert.Equal("scenario", (await JudgementAsync(trainee, Library)).Basis);

        // Attached to a scenario its owner may edit (not to the built-in library): practice of it, by anyone, is judged against it.
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PutAsync($"/api/collections/{collection}/attachments/scenarios/{Library}", null, Ct)).StatusCode);
        var slug = await TestData.CloneScenarioAsync(db, "authored", ownerUser.Id, published: true);
        (await owner.PutAsync($"/api/collections/{collection}/attachments/scenarios/{slug}", null, Ct)).EnsureSuccessStatusCode();
        var attachments = (await owner.GetFromJsonAsync<CollectionAttachments>($"/api/collections/{collection}/attachments", Ct))!;
        Assert.Equal(slug, Assert.Single(attachments.Scenarios).Slug);
        Assert.Equal(collection, (await owner.GetFromJsonAsync<ScenarioOwnership>($"/api/scenarios/{slug}/ownership", Ct))!.JudgingCollection);
        var byScenario = await JudgementAsync(outsider, slug);
        Assert.Equal("collection", byScenario.Basis);
        Assert.Equal(collection, byScenario.BasisReference);
    }
}
