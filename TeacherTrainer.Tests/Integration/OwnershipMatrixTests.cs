using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Scenario and collection ownership, endpoint by endpoint, against each kind of resource: a
/// scenario of the built-in library, an instructor's draft, their published scenario (both with a
/// named co-author), a collection shared with the owner's cohort and one shared with nobody. Each
/// row is called by the owner, the co-author (an instructor the owner named), another instructor,
/// a trainee of the owner's cohort, a trainee outside it and an admin, each against resources made
/// anew for the call. <see cref="AuthorizationMatrixTests"/> holds the one-row-per-endpoint rule; this
/// holds the variants, and fails if an ownership endpoint is missing from it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OwnershipMatrixTests(ApiFactory api)
{
    public enum Actor { Owner, CoAuthor, OtherInstructor, Trainee, OtherTrainee, Admin }

    public sealed record Expected(int Owner, int CoAuthor, int OtherInstructor, int Trainee, int OtherTrainee, int Admin)
    {
        public int For(Actor actor) => actor switch
        {
            Actor.Owner => Owner,
            Actor.CoAuthor => CoAuthor,
            Actor.OtherInstructor => OtherInstructor,
            Actor.Trainee => Trainee,
            Actor.OtherTrainee => OtherTrainee,
            _ => Admin,
        };
    }

    public sealed record World(TestUser Owner, TestUser CoAuthor, TestUser OtherInstructor, TestUser Trainee, TestUser OtherTrainee, TestUser Admin)
    {
        public TestUser User(Actor actor) => actor switch
        {
            Actor.Owner => Owner,
            Actor.CoAuthor => CoAuthor,
            Actor.OtherInstructor => OtherInstructor,
            Actor.Trainee => Trainee,
            Actor.OtherTrainee => OtherTrainee,
            _ => Admin,
        };
    }

    /// <summary>Made anew for each call. <see cref="Library"/> is a library scenario of its own, so an admin may archive it.</summary>
    public sealed record Fresh(Guid CohortId, string Library, string Draft, string Published, string SharedCollection, string UnsharedCollection, JsonObject Document);

    public enum Resource { Library, Draft, Published, SharedCollection, UnsharedCollection }

    public sealed record Case(string Method, string Route, Resource Resource, Func<Fresh, string> Url, Func<Fresh, object?>? Body, Expected Expected)
    {
        public string Key => $"{Method} {Route} [{Resource}]";
        public override string ToString() => Key;
    }

    private static string Slug(Fresh f, Resource r) => r switch
    {
        Resource.Library => f.Library,
        Resource.Draft => f.Draft,
        Resource.Published => f.Published,
        Resource.SharedCollection => f.SharedCollection,
        _ => f.UnsharedCollection,
    };

    private static Expected E(int owner, int coAuthor, int otherInstructor, int trainee, int otherTrainee, int admin)
        => new(owner, coAuthor, otherInstructor, trainee, otherTrainee, admin);

    private static IEnumerable<Case> ScenarioCases(Resource r, Expected read, Expected briefing, Expected change, Expected archive, Expected copy,
        Expected nameCoAuthor, Expected removeCoAuthor, Expected practise, Expected evaluate)
    {
        yield return new("GET", "/api/scenarios/{slug}", r, f => $"/api/scenarios/{Slug(f, r)}", null, briefing);
        yield return new("GET", "/api/scenarios/{slug}/document", r, f => $"/api/scenarios/{Slug(f, r)}/document", null, read);
        yield return new("GET", "/api/scenarios/{slug}/versions", r, f => $"/api/scenarios/{Slug(f, r)}/versions", null, read);
        yield return new("GET", "/api/scenarios/{slug}/ownership", r, f => $"/api/scenarios/{Slug(f, r)}/ownership", null, read);
        // The editor opens whatever its document and ownership may be read; what it offers depends on who may change it (PageApiTests).
        yield return new("GET", "/api/scenarios/{slug}/editor", r, f => $"/api/scenarios/{Slug(f, r)}/editor", null, read);
        yield return new("PUT", "/api/scenarios/{slug}", r, f => $"/api/scenarios/{Slug(f, r)}", f => WithSlug(f.Document, Slug(f, r)), change);
        yield return new("POST", "/api/scenarios/{slug}/diff", r, f => $"/api/scenarios/{Slug(f, r)}/diff", f => WithSlug(f.Document, Slug(f, r)), change);
        // An author publishes to their cohorts; only admins to the library (what no body means), the built-in library's only audience.
        yield return new("POST", "/api/scenarios/{slug}/publish", r, f => $"/api/scenarios/{Slug(f, r)}/publish",
            r == Resource.Library ? null : (Func<Fresh, object?>)(f => new { audience = "cohorts", cohortIds = new[] { f.CohortId } }), change);
        yield return new("DELETE", "/api/scenarios/{slug}", r, f => $"/api/scenarios/{Slug(f, r)}", null, archive);
        yield return new("POST", "/api/scenarios/{slug}/copy", r, f => $"/api/scenarios/{Slug(f, r)}/copy", _ => new { }, copy);
        yield return new("POST", "/api/scenarios/{slug}/coauthors", r, f => $"/api/scenarios/{Slug(f, r)}/coauthors", _ => new { email = "someone.else@tests.local" }, nameCoAuthor);
        yield return new("DELETE", "/api/scenarios/{slug}/coauthors/{email}", r, f => $"/api/scenarios/{Slug(f, r)}/coauthors/someone.else@tests.local", null, removeCoAuthor);
        yield return new("POST", "/api/sessions/", r, _ => "/api/sessions", f => new { scenario = Slug(f, r) }, practise);
        yield return new("POST", "/api/evaluations", r, _ => "/api/evaluations",
            f => new { context = new[] { new { speaker = "student", text = "I'm not tidying it!" } }, response = "You really want to finish it. Shall we keep it safe on the shelf?", scenarioId = Slug(f, r) }, evaluate);
    }

    private static IEnumerable<Case> CollectionCases(Resource r, Expected read, Expected replace, Expected change, Expected delete)
    {
        // The quality view is for whoever curates it: answered like a change (403 to trainees by role, 404 to other instructors).
        yield return new("GET", "/api/collections/{name}/quality", r, f => $"/api/collections/{Slug(f, r)}/quality", null,
            change with { Owner = 200, Admin = 200 });
        yield return new("GET", "/api/collections/{name}", r, f => $"/api/collections/{Slug(f, r)}", null, read);
        yield return new("POST", "/api/evaluations", r, _ => "/api/evaluations",
            f => new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", collection = Slug(f, r) }, read);
        yield return new("PUT", "/api/collections/{name}", r, f => $"/api/collections/{Slug(f, r)}",
            _ => new { description = "Replaced", items = new[] { new { context = new[] { new { speaker = "student", text = "I got 12." } }, response = "How did you get 12?", quality = "expert" } } }, replace);
        yield return new("PUT", "/api/collections/{name}/shares/{cohortId:guid}", r, f => $"/api/collections/{Slug(f, r)}/shares/{f.CohortId}", null, change);
        yield return new("DELETE", "/api/collections/{name}/shares/{cohortId:guid}", r, f => $"/api/collections/{Slug(f, r)}/shares/{f.CohortId}", null, delete);
        // Attaching judges practice against it: for whoever may change it, to a scenario they edit (the owner's draft) or a cohort they teach.
        yield return new("GET", "/api/collections/{name}/attachments/", r, f => $"/api/collections/{Slug(f, r)}/attachments", null, change);
        yield return new("PUT", "/api/collections/{name}/attachments/scenarios/{slug}", r, f => $"/api/collections/{Slug(f, r)}/attachments/scenarios/{f.Draft}", null, change);
        yield return new("DELETE", "/api/collections/{name}/attachments/scenarios/{slug}", r, f => $"/api/collections/{Slug(f, r)}/attachments/scenarios/{f.Draft}", null, delete);
        yield return new("PUT", "/api/collections/{name}/attachments/cohorts/{cohortId:guid}", r, f => $"/api/collections/{Slug(f, r)}/attachments/cohorts/{f.CohortId}", null, change);
        yield return new("DELETE", "/api/collections/{name}/attachments/cohorts/{cohortId:guid}", r, f => $"/api/collections/{Slug(f, r)}/attachments/cohorts/{f.CohortId}", null, delete);
        yield return new("DELETE", "/api/collections/{name}", r, f => $"/api/collections/{Slug(f, r)}", null, delete);
    }

    public static readonly Case[] Cases =
    [
        // The built-in library: everyone reads and practises it, instructors read and copy it, only admins change it (403 to others).
        .. ScenarioCases(Resource.Library,
            read: E(200, 200, 200, 403, 403, 200), briefing: E(200, 200, 200, 200, 200, 200),
            change: E(403, 403, 403, 403, 403, 200), archive: E(403, 403, 403, 403, 403, 204), copy: E(201, 201, 201, 403, 403, 201),
            nameCoAuthor: E(403, 403, 403, 403, 403, 200), removeCoAuthor: E(403, 403, 403, 403, 403, 204),
            practise: E(201, 201, 201, 201, 201, 201), evaluate: E(200, 200, 200, 200, 200, 200)),
        // A draft: its owner, co-author and admins only; it does not exist for anyone else (404), trainees included.
        .. ScenarioCases(Resource.Draft,
            read: E(200, 200, 404, 403, 403, 200), briefing: E(200, 200, 404, 404, 404, 200),
            change: E(200, 200, 404, 403, 403, 200), archive: E(204, 204, 404, 403, 403, 204), copy: E(201, 201, 404, 403, 403, 201),
            nameCoAuthor: E(200, 403, 404, 403, 403, 200), removeCoAuthor: E(204, 403, 404, 403, 403, 204),
            practise: E(201, 201, 404, 404, 404, 201), evaluate: E(200, 200, 404, 404, 404, 200)),
        // Published: everyone reads and practises it, other instructors copy it; only its authors and admins change it.
        .. ScenarioCases(Resource.Published,
            read: E(200, 200, 200, 403, 403, 200), briefing: E(200, 200, 200, 200, 200, 200),
            change: E(200, 200, 403, 403, 403, 200), archive: E(204, 204, 403, 403, 403, 204), copy: E(201, 201, 201, 403, 403, 201),
            nameCoAuthor: E(200, 403, 403, 403, 403, 200), removeCoAuthor: E(204, 403, 403, 403, 403, 204),
            practise: E(201, 201, 201, 201, 201, 201), evaluate: E(200, 200, 200, 200, 200, 200)),
        // A collection shared with the owner's cohort: its trainee may see it and judge against it; others are told nothing (404).
        .. CollectionCases(Resource.SharedCollection,
            read: E(200, 404, 404, 200, 404, 200), replace: E(200, 409, 409, 403, 403, 200),
            change: E(200, 404, 404, 403, 403, 200), delete: E(204, 404, 404, 403, 403, 204)),
        // Shared with nobody: its owner and admins only.
        .. CollectionCases(Resource.UnsharedCollection,
            read: E(200, 404, 404, 404, 404, 200), replace: E(200, 409, 409, 403, 403, 200),
            change: E(200, 404, 404, 403, 403, 200), delete: E(204, 404, 404, 403, 403, 204)),
    ];

    /// <summary>Endpoints whose answer depends on who owns the scenario or collection: each must appear above.</summary>
    private static readonly string[] OwnershipEndpoints =
    [
        "GET /api/scenarios/{slug}", "GET /api/scenarios/{slug}/document", "GET /api/scenarios/{slug}/versions", "GET /api/scenarios/{slug}/ownership", "GET /api/scenarios/{slug}/editor",
        "PUT /api/scenarios/{slug}", "POST /api/scenarios/{slug}/diff", "POST /api/scenarios/{slug}/publish", "DELETE /api/scenarios/{slug}", "POST /api/scenarios/{slug}/copy",
        "POST /api/scenarios/{slug}/coauthors", "DELETE /api/scenarios/{slug}/coauthors/{email}", "POST /api/sessions/", "POST /api/evaluations",
        "GET /api/collections/{name}", "PUT /api/collections/{name}", "DELETE /api/collections/{name}",
        "PUT /api/collections/{name}/shares/{cohortId:guid}", "DELETE /api/collections/{name}/shares/{cohortId:guid}",
        "GET /api/collections/{name}/quality", "GET /api/collections/{name}/attachments/",
        "PUT /api/collections/{name}/attachments/scenarios/{slug}", "DELETE /api/collections/{name}/attachments/scenarios/{slug}",
        "PUT /api/collections/{name}/attachments/cohorts/{cohortId:guid}", "DELETE /api/collections/{name}/attachments/cohorts/{cohortId:guid}",
    ];

    public static IEnumerable<TheoryDataRow<string>> Keys() => Cases.Select(c => new TheoryDataRow<string>(c.Key));

    [Fact]
    public void Every_ownership_endpoint_is_tried_against_every_kind_of_resource_it_takes()
    {
        Assert.Equal(Cases.Length, Cases.Select(c => c.Key).Distinct().Count());
        var covered = Cases.Select(c => $"{c.Method} {c.Route}").ToHashSet();
        Assert.DoesNotContain(OwnershipEndpoints, e => !covered.Contains(e));
        // Every endpoint that takes a scenario or a collection by name is an ownership endpoint.
        var mapped = api.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/api/scenarios/{slug}", StringComparison.Ordinal) || route.StartsWith("/api/collections/{name}", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
        Assert.NotEmpty(mapped);
        Assert.DoesNotContain(mapped, e => !covered.Contains(e));
        foreach (var scenarioEndpoint in OwnershipEndpoints.Where(e => e.Contains("/api/scenarios/", StringComparison.Ordinal)))
        {
            foreach (var resource in new[] { Resource.Library, Resource.Draft, Resource.Published })
            {
                Assert.Contains(Cases, c => $"{c.Method} {c.Route}" == scenarioEndpoint && c.Resource == resource);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Each_actor_gets_the_expected_status(string key)
    {
        var row = Cases.Single(c => c.Key == key);
        var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var actor in Enum.GetValues<Actor>())
        {
            var fresh = await FreshAsync(world);
            using var client = await api.CreateClientForAsync(world.User(actor).Id);
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Url(fresh));
            if (row.Body?.Invoke(fresh) is { } body)
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

    [Fact]
    public async Task Lists_show_only_what_each_caller_may_see()
    {
        var world = await WorldAsync();
        var fresh = await FreshAsync(world);
        var ct = TestContext.Current.CancellationToken;
        async Task<string> Get(Actor actor, string url)
        {
            using var client = await api.CreateClientForAsync(world.User(actor).Id);
            var response = await client.GetAsync(url, ct);
            Assert.True(response.IsSuccessStatusCode, $"{actor} {url}: {(int)response.StatusCode}");
            return await response.Content.ReadAsStringAsync(ct);
        }

        // The catalog (shared and cached) never lists a draft, not even to its owner; "mine" does, to its authors.
        foreach (var actor in Enum.GetValues<Actor>())
        {
            var catalog = await Get(actor, "/api/scenarios");
            Assert.DoesNotContain(fresh.Draft, catalog);
            Assert.Contains(fresh.Published, catalog);
        }
        Assert.Contains(fresh.Draft, await Get(Actor.Owner, "/api/scenarios/mine"));
        Assert.Contains(fresh.Draft, await Get(Actor.CoAuthor, "/api/scenarios/mine"));
        Assert.DoesNotContain(fresh.Draft, await Get(Actor.OtherInstructor, "/api/scenarios/mine"));

        // Collections: the owner and admins see both; the cohort's trainee only the shared one; others neither.
        foreach (var (actor, shared, unshared) in new[]
        {
            (Actor.Owner, true, true), (Actor.Admin, true, true), (Actor.Trainee, true, false),
            (Actor.OtherTrainee, false, false), (Actor.OtherInstructor, false, false), (Actor.CoAuthor, false, false),
        })
        {
            var list = await Get(actor, "/api/collections");
            Assert.Equal(shared, list.Contains(fresh.SharedCollection, StringComparison.Ordinal));
            Assert.Equal(unshared, list.Contains(fresh.UnsharedCollection, StringComparison.Ordinal));
        }
    }

    private static JsonObject WithSlug(JsonObject document, string slug)
    {
        var copy = document.DeepClone().AsObject();
        copy["slug"] = slug;
        copy["title"] = "Changed by the ownership matrix";
        return copy;
    }

    private static readonly SemaphoreSlim WorldLock = new(1, 1);
    private static World? _world;
    private static JsonObject? _document;

    private async Task<World> WorldAsync()
    {
        await WorldLock.WaitAsync();
        try
        {
            if (_world is not null) return _world;
            await using var scope = api.CreateScope();
            var content = await api.Db(scope).ScenarioVersions.AsNoTracking()
                .Where(v => v.Id == v.Scenario!.CurrentVersionId && v.Scenario.Source == "library").OrderBy(v => v.Scenario!.Slug)
                .Select(v => v.Content).FirstAsync();
            _document = JsonSerializer.SerializeToNode(content, TeacherTrainer.ApiService.Scenarios.ScenarioDocument.JsonOptions)!.AsObject();
            _world = new World(
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Owner Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Co-author Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Other Instructor"),
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Cohort Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Trainee, "Outside Trainee"),
                await api.CreateUserWithoutPasswordAsync(Roles.Admin, "Ownership Admin"));
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
        var cohort = await TestData.AddCohortAsync(db, world.Owner.Id, world.Trainee.Id);
        return new Fresh(
            cohort.Id,
            await TestData.CloneScenarioAsync(db, "library", null, published: true),
            await TestData.CloneScenarioAsync(db, "authored", world.Owner.Id, published: false, world.CoAuthor.Email),
            await TestData.CloneScenarioAsync(db, "authored", world.Owner.Id, published: true, world.CoAuthor.Email),
            await TestData.AddCollectionAsync(db, world.Owner.Id, cohort.Id),
            await TestData.AddCollectionAsync(db, world.Owner.Id),
            _document!);
    }
}
