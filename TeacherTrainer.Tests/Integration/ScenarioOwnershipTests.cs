using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Scenario ownership end to end: copying the library into a private draft, co-authors named by
/// email, publishing and archiving audited with the actor, length limits on scenario text, and
/// collections shared only with the owner's own cohorts. Who gets which status on every endpoint
/// is <see cref="OwnershipMatrixTests"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ScenarioOwnershipTests(ApiFactory api)
{
    private const string Library = "year1-lego-rocket-tidy-up-refusal";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TestUser User, HttpClient Client)> InstructorAsync(string name = "Instructor")
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, name);
        return (user, await api.CreateClientForAsync(user.Id));
    }

    [Fact]
    public async Task A_library_copy_is_a_private_draft_until_published_and_both_steps_are_audited_with_the_actor()
    {
        var (owner, ownerClient) = await InstructorAsync("Olu Owner");
        var (_, other) = await InstructorAsync();
        using var trainee = await api.CreateTraineeClientAsync();
        using (ownerClient)
        using (other)
        {
            // The library itself is read-only for instructors: they are told to copy it.
            var document = await ownerClient.GetFromJsonAsync<JsonObject>($"/api/scenarios/{Library}/document", Ct);
            document!["summary"] = document["summary"]!.GetValue<string>() + " Edited.";
            var refused = await ownerClient.PutAsJsonAsync($"/api/scenarios/{Library}", document, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Copy it", await refused.Content.ReadAsStringAsync(Ct));

            var slug = $"copy-{Guid.NewGuid():N}"[..20];
            var copied = await ownerClient.PostAsJsonAsync($"/api/scenarios/{Library}/copy", new { slug }, Ct);
            Assert.Equal(HttpStatusCode.Created, copied.StatusCode);
            var ownership = (await ownerClient.GetFromJsonAsync<ScenarioOwnership>($"/api/scenarios/{slug}/ownership", Ct))!;
            Assert.Equal(ScenarioStatus.Draft, ownership.Status);
            Assert.Equal("Olu Owner", ownership.Owner);
            Assert.True(ownership.IsOwner);

            // A draft: invisible and unpractisable to everyone else, absent from the (shared, cached) catalog.
            Assert.Equal(HttpStatusCode.NotFound, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await trainee.PostAsJsonAsync("/api/sessions", new { scenario = slug }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/scenarios/{slug}/document", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await ownerClient.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
            Assert.DoesNotContain(slug, await trainee.GetStringAsync($"/api/scenarios?fresh={Guid.NewGuid():N}", Ct));
            // The owner's own look at the briefing was not cached for others.
            Assert.Equal(HttpStatusCode.NotFound, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);

            // The owner may not put it in the library for everyone; an admin may.
            Assert.Equal(HttpStatusCode.Forbidden, (await ownerClient.PostAsync($"/api/scenarios/{slug}/publish", null, Ct)).StatusCode);
            var adminUser = await api.CreateUserWithoutPasswordAsync(Roles.Admin, "Ada Admin");
            using var admin = await api.CreateClientForAsync(adminUser.Id);
            (await admin.PostAsync($"/api/scenarios/{slug}/publish", null, Ct)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.OK, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
            Assert.Contains(slug, await trainee.GetStringAsync($"/api/scenarios?fresh={Guid.NewGuid():N}", Ct));
            // Published, another instructor may read and copy it, not change it.
            Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/scenarios/{slug}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await trainee.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);

            await using var scope = api.CreateScope();
            var db = api.Db(scope);
            var scenario = await db.Scenarios.AsNoTracking().SingleAsync(s => s.Slug == slug, Ct);
            Assert.Equal(owner.Id, scenario.OwnerId);
            Assert.Equal(owner.Id, scenario.ArchivedById);
            var audit = await db.ScenarioAudit.AsNoTracking().Where(a => a.ScenarioId == scenario.Id).OrderBy(a => a.At).ToListAsync(Ct);
            Assert.Equal(["copied", "published", "archived"], audit.Select(a => a.Action));
            Assert.Equal([owner.Id, adminUser.Id, owner.Id], audit.Select(a => a.ActorId));
            Assert.All(audit, a => Assert.Equal(1, a.VersionNumber));
            Assert.Contains(api.SecurityEvents(), e => e.Id.Id == 4031 && e.Message.Contains(slug) && e.Message.Contains(adminUser.Id.ToString()) && e.Message.Contains("everyone"));
            Assert.Contains(api.SecurityEvents(), e => e.Id.Id == 4032 && e.Message.Contains(slug) && e.Message.Contains(owner.Id.ToString()));
            // The history is shown to the scenario's authors.
            var history = (await ownerClient.GetFromJsonAsync<ScenarioOwnership>($"/api/scenarios/{slug}/ownership", Ct))!.History;
            Assert.Equal(3, history.Count);
            Assert.Equal(["Olu Owner", "Ada Admin", "Olu Owner"], history.Select(h => h.By));
        }
    }

    [Fact]
    public async Task Naming_a_co_author_answers_the_same_whether_the_email_has_an_account_and_grants_editing_to_instructors_only()
    {
        var (owner, ownerClient) = await InstructorAsync();
        var (coAuthor, coAuthorClient) = await InstructorAsync();
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var traineeClient = await api.CreateClientForAsync(trainee.Id);
        using (ownerClient)
        using (coAuthorClient)
        {
            var slug = $"co-{Guid.NewGuid():N}"[..20];
            (await ownerClient.PostAsJsonAsync($"/api/scenarios/{Library}/copy", new { slug }, Ct)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.NotFound, (await coAuthorClient.GetAsync($"/api/scenarios/{slug}/document", Ct)).StatusCode);

            var known = await ownerClient.PostAsJsonAsync($"/api/scenarios/{slug}/coauthors", new { email = coAuthor.Email }, Ct);
            var unknown = await ownerClient.PostAsJsonAsync($"/api/scenarios/{slug}/coauthors", new { email = $"nobody-{Guid.NewGuid():N}@tests.local" }, Ct);
            var traineeEmail = await ownerClient.PostAsJsonAsync($"/api/scenarios/{slug}/coauthors", new { email = trainee.Email }, Ct);
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
            Assert.Equal(known.StatusCode, unknown.StatusCode);
            Assert.Equal(known.StatusCode, traineeEmail.StatusCode);
            // The same answer: the list of emails as named, nothing about which are accounts.
            var names = (await traineeEmail.Content.ReadFromJsonAsync<ScenarioOwnership>(Ct))!.CoAuthors;
            Assert.Equal(3, names.Count);
            // The raw property names on purpose: no field may appear for one answer and not the other.
            var keys = (await known.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateObject().Select(p => p.Name);
            Assert.Equal(keys, (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateObject().Select(p => p.Name));

            // The instructor co-author may now edit and publish; a trainee with a named email gets nothing.
            var document = await coAuthorClient.GetFromJsonAsync<JsonObject>($"/api/scenarios/{slug}/document", Ct);
            document!["title"] = "Edited by the co-author";
            (await coAuthorClient.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Forbidden, (await coAuthorClient.PostAsJsonAsync($"/api/scenarios/{slug}/coauthors", new { email = "x@tests.local" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await traineeClient.GetAsync($"/api/scenarios/{slug}", Ct)).StatusCode);

            // Removed, the co-author loses the draft.
            Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/scenarios/{slug}/coauthors/{Uri.EscapeDataString(coAuthor.Email)}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await coAuthorClient.GetAsync($"/api/scenarios/{slug}/document", Ct)).StatusCode);
            Assert.NotEqual(owner.Id, coAuthor.Id);
        }
    }

    [Fact]
    public async Task Scenarios_stored_before_ownership_stay_live_and_belong_to_their_first_author()
    {
        var author = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        // As the old schema left it: authored, no owner, no publication date (it was live).
        var slug = await TestData.CloneScenarioAsync(db, "authored", null, published: false);
        await db.ScenarioVersions.Where(v => v.Scenario!.Slug == slug).ExecuteUpdateAsync(v => v.SetProperty(x => x.CreatedById, author.Id), Ct);
        var library = await TestData.CloneScenarioAsync(db, "library", null, published: false);

        foreach (var seeder in scope.ServiceProvider.GetServices<TeacherTrainer.ApiService.Data.IDbSeeder<TeacherTrainer.ApiService.Data.TeacherDbContext>>())
        {
            await seeder.SeedAsync(db, Ct);
        }
        var legacy = await db.Scenarios.AsNoTracking().SingleAsync(s => s.Slug == slug, Ct);
        Assert.Equal(author.Id, legacy.OwnerId);
        Assert.NotNull(legacy.PublishedAt);
        Assert.NotNull((await db.Scenarios.AsNoTracking().SingleAsync(s => s.Slug == library, Ct)).PublishedAt);
    }

    [Theory]
    [InlineData("/persona/brief", 2001)]
    [InlineData("/setting", 4001)]
    [InlineData("/persona/traits/0", 201)]
    [InlineData("/exemplars/0/text", 1001)]
    [InlineData("/replyBank/threat/escalated/0", 401)]
    public async Task Every_scenario_field_has_a_length_limit_named_in_the_problem(string path, int length)
    {
        var (_, client) = await InstructorAsync();
        using (client)
        {
            var document = await client.GetFromJsonAsync<JsonObject>($"/api/scenarios/{Library}/document", Ct);
            var slug = $"long-{Guid.NewGuid():N}"[..20];
            document!["slug"] = slug;
            JsonNode node = document;
            var parts = path.Trim('/').Split('/');
            foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
            var text = string.Concat(Enumerable.Repeat("Long words here. ", length / 17 + 1))[..length];
            if (int.TryParse(parts[^1], out var index)) node[index] = text; else node[parts[^1]] = text;

            var response = await client.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!;
            var messages = problem.Errors[path];
            Assert.Contains(messages, m => m.StartsWith("At most", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/scenarios/{slug}/document", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task A_collection_is_shared_only_with_the_owners_own_cohorts_and_unsharing_hides_it_again()
    {
        var (owner, ownerClient) = await InstructorAsync();
        var (other, _) = await InstructorAsync();
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        using var traineeClient = await api.CreateClientForAsync(trainee.Id);
        string name;
        Guid mine, theirs;
        await using (var scope = api.CreateScope())
        {
            var db = api.Db(scope);
            name = await TestData.AddCollectionAsync(db, owner.Id);
            mine = (await TestData.AddCohortAsync(db, owner.Id, trainee.Id)).Id;
            theirs = (await TestData.AddCohortAsync(db, other.Id, trainee.Id)).Id;
        }
        using (ownerClient)
        {
            var body = new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", collection = name };
            Assert.Equal(HttpStatusCode.NotFound, (await traineeClient.PostAsJsonAsync("/api/evaluations", body, Ct)).StatusCode);
            // Another instructor's cohort is not the owner's to share with: as if it did not exist.
            Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.PutAsync($"/api/collections/{name}/shares/{theirs}", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await traineeClient.PostAsJsonAsync("/api/evaluations", body, Ct)).StatusCode);

            var shared = await ownerClient.PutAsync($"/api/collections/{name}/shares/{mine}", null, Ct);
            Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
            Assert.Equal(mine, (await shared.Content.ReadFromJsonAsync<CollectionSummary>(Ct))!.SharedWith[0].Id);
            var judged = await traineeClient.PostAsJsonAsync("/api/evaluations", body, Ct);
            Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
            Assert.Equal("collection", (await judged.Content.ReadFromJsonAsync<Judgement>(Ct))!.Basis);
            // The trainee sees the collection, not whom else it is shared with.
            var seen = (await traineeClient.GetFromJsonAsync<CollectionSummary>($"/api/collections/{name}", Ct))!;
            Assert.Empty(seen.SharedWith);
            Assert.Contains(api.SecurityEvents(), e => e.Id.Id == 4041 && e.Message.Contains(name) && e.Message.Contains("shared"));

            Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/collections/{name}/shares/{mine}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await traineeClient.PostAsJsonAsync("/api/evaluations", body, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await traineeClient.GetAsync($"/api/collections/{name}", Ct)).StatusCode);
        }
    }
}
