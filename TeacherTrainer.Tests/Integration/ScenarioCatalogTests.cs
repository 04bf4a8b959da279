using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

[Collection(ApiCollection.Name)]
public sealed class ScenarioCatalogTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    [Fact]
    public async Task The_seeded_library_is_listed_and_filtered()
    {
        using var client = await api.CreateTraineeClientAsync();
        var all = (await client.GetFromJsonAsync<ScenarioList>("/api/scenarios", Ct))!;
        Assert.True(all.Count >= 30);

        var filtered = (await client.GetFromJsonAsync<ScenarioList>("/api/scenarios?category=emotional-distress&gradeBand=high-school", Ct))!;
        var items = filtered.Items;
        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            Assert.Equal("emotional-distress", i.Category);
            Assert.Equal("high-school", i.GradeBand);
        });
        var none = (await client.GetFromJsonAsync<ScenarioList>("/api/scenarios?difficulty=impossible", Ct))!;
        Assert.Equal(0, none.Count);
    }

    [Theory]
    [InlineData("a young child grieving a pet that died", "grade1-dog-died-morning-tears")]
    [InlineData("student suspected of using AI to write an essay", "grade-8-essay-suspected-ai-writing")]
    [InlineData("an angry father who wants his son moved up a maths set", "year-7-father-demands-top-maths-set")]
    public async Task Search_by_meaning_finds_the_right_scenario(string query, string expected)
    {
        using var client = await api.CreateTraineeClientAsync();
        var result = (await client.GetFromJsonAsync<ScenarioList>($"/api/scenarios?q={Uri.EscapeDataString(query)}", Ct))!;
        // Other tests publish copies of library scenarios (same text, same meaning) into the shared
        // catalog; the library's own scenario is the one this search must find.
        var slugs = result.Items.Where(i => i.IsLibrary).Select(i => i.Slug).Take(3).ToList();
        Assert.Contains(expected, slugs);
        Assert.True(result.Items[0].Similarity > 0.3);
    }

    [Fact]
    public async Task A_briefing_shows_setting_persona_goals_and_rubric_but_not_the_answers()
    {
        using var client = await api.CreateTraineeClientAsync();
        var response = await client.GetAsync("/api/scenarios/year1-lego-rocket-tidy-up-refusal", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var briefing = JsonSerializer.Deserialize<ScenarioBriefing>(text, JsonSerializerOptions.Web)!;
        Assert.True(briefing.Setting.Length > 300);
        Assert.Equal("Kofi", briefing.Persona.Name.Split(' ')[0]);
        Assert.NotEmpty(briefing.Goals);
        Assert.InRange(briefing.Rubric.Count, 3, 6);
        // The raw text on purpose: what must not travel at all.
        Assert.DoesNotContain("replyBank", text);
        Assert.DoesNotContain("exemplars", text);
        var unknown = await client.GetAsync("/api/scenarios/no-such-thing", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("There is no scenario 'no-such-thing'.", (await unknown.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail);
    }

    [Fact]
    public async Task Seeding_again_changes_nothing_and_a_changed_file_becomes_a_new_version()
    {
        await using var scope = api.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<TeacherDbContext>();
        var versionsBefore = await db.ScenarioVersions.CountAsync(Ct);

        foreach (var seeder in services.GetServices<IDbSeeder<TeacherDbContext>>()) await seeder.SeedAsync(db, Ct);
        Assert.Contains(services.GetServices<IDbSeeder<TeacherDbContext>>(), s => s is ScenarioLibrarySeeder);
        Assert.Equal(versionsBefore, await db.ScenarioVersions.CountAsync(Ct));

        // A library document edited (as if its file changed): staged again, it gets version 2; unchanged ones stay.
        var library = services.GetRequiredService<ScenarioLibrary>().Load();
        var slug = $"seed-{Guid.NewGuid():N}"[..20];
        var original = library[0] with { Slug = slug };
        var versioning = services.GetRequiredService<ScenarioVersioning>();
        Assert.Equal(1, await versioning.StageAsync([(original, "library")], null, Ct));
        await db.SaveChangesAsync(Ct);
        Assert.Equal(0, await versioning.StageAsync([(original, "library")], null, Ct));
        var edited = original with { Summary = original.Summary + " Revised." };
        Assert.Equal(1, await versioning.StageAsync([(edited, "library")], null, Ct));
        await db.SaveChangesAsync(Ct);

        var scenario = await db.Scenarios.AsNoTracking().SingleAsync(s => s.Slug == slug, Ct);
        Assert.Equal(2, scenario.CurrentVersionNumber);
        Assert.Equal(2, await db.ScenarioVersions.CountAsync(v => v.ScenarioId == scenario.Id, Ct));
        Assert.Equal(original.Exemplars.Count * 2, await db.ScenarioExemplars.CountAsync(e => db.ScenarioVersions.Any(v => v.Id == e.ScenarioVersionId && v.ScenarioId == scenario.Id), Ct));
    }

    [Fact]
    public async Task Publishing_a_new_version_evicts_the_cached_catalog()
    {
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        using var trainee = await api.CreateTraineeClientAsync();
        var document = await instructor.GetFromJsonAsync<JsonObject>("/api/scenarios/year1-lego-rocket-tidy-up-refusal/document", Ct);
        var slug = $"cache-{Guid.NewGuid():N}"[..20];
        document!["slug"] = slug;
        document["title"] = "Cache check, first title";
        (await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct)).EnsureSuccessStatusCode();
        // Into the library for everyone (and so the shared catalog): an admin's publication.
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        (await admin.PostAsync($"/api/scenarios/{slug}/publish", null, Ct)).EnsureSuccessStatusCode();

        var url = "/api/scenarios?category=classroom-disruption";
        var first = await trainee.GetAsync(url, Ct);
        var cached = await trainee.GetAsync(url, Ct);
        Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
        Assert.Contains("Cache check, first title", await cached.Content.ReadAsStringAsync(Ct));

        document["title"] = "Cache check, second title";
        (await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct)).EnsureSuccessStatusCode();
        var fresh = await trainee.GetAsync(url, Ct);
        Assert.False(fresh.Headers.Contains("X-Cache"));
        var body = await fresh.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Cache check, second title", body);
        Assert.NotNull(first);

        (await instructor.DeleteAsync($"/api/scenarios/{slug}", Ct)).EnsureSuccessStatusCode();
        Assert.DoesNotContain(slug, await (await trainee.GetAsync(url, Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task An_invalid_document_is_refused_with_every_problem_and_nothing_changes()
    {
        using var instructor = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        // The instructor's own copy (the library itself is read-only for them).
        var slug = $"invalid-{Guid.NewGuid():N}"[..20];
        (await instructor.PostAsJsonAsync("/api/scenarios/year1-lego-rocket-tidy-up-refusal/copy", new { slug }, Ct)).EnsureSuccessStatusCode();
        var document = await instructor.GetFromJsonAsync<JsonObject>($"/api/scenarios/{slug}/document", Ct);
        document!["rubric"]![0]!["weight"] = 0.95;
        document.Remove("goals");

        var validation = await instructor.PostAsJsonAsync("/api/scenarios/validate", document, Ct);
        var report = (await validation.Content.ReadFromJsonAsync<ScenarioValidation>(Ct))!;
        Assert.False(report.Valid);
        Assert.Contains(report.Issues, i => i.Message.Contains("goals", StringComparison.Ordinal));

        var published = await instructor.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, published.StatusCode);
        var versions = (await instructor.GetFromJsonAsync<List<ScenarioVersionSummary>>($"/api/scenarios/{slug}/versions", Ct))!;
        Assert.Single(versions);
    }
}
