using System.Net;
using System.Text.Json;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// GET /api/collections/{name}/quality against real pgvector rows: a small collection whose experts and novices
/// form two groups, with one novice-like reply deliberately labelled expert, which the view must list.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CollectionQualityApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Mislabelled = "Just copy the answer from the board and stop asking.";

    /// <summary>A unit vector near axis <paramref name="axis"/>, nudged along its own axis so no two rows are equal.</summary>
    private static Pgvector.Vector Near(int axis, int nudge)
    {
        var v = new float[384];
        v[axis] = 1;
        v[10 + nudge] = 0.2f;
        var norm = (float)Math.Sqrt(v.Sum(x => x * x));
        return new Pgvector.Vector(v.Select(x => x / norm).ToArray());
    }

    private async Task<(string Name, Guid CohortId)> AddCollectionAsync(Guid ownerId, Guid traineeId)
    {
        await using var scope = api.CreateScope();
        var db = api.Db(scope);
        var cohort = await TestData.AddCohortAsync(db, ownerId, traineeId);
        var name = $"quality-{Guid.NewGuid():N}"[..24];
        var collection = new ExemplarCollection { Id = Guid.CreateVersion7(), Name = name, OwnerId = ownerId, ItemCount = 13, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Collections.Add(collection);
        var ordinal = 0;
        void Add(string response, string quality, Pgvector.Vector vector) => db.CollectionItems.Add(new CollectionItem
        {
            Id = Guid.CreateVersion7(), CollectionId = collection.Id, Ordinal = ordinal++, Context = [new ContextTurn("student", "I got 12.")],
            Response = response, Quality = quality, ContextEmbedding = vector, ResponseEmbedding = vector,
        });
        for (var i = 0; i < 6; i++) Add($"How did you get 12? Talk me through step {i}.", "expert", Near(0, i));
        for (var i = 0; i < 6; i++) Add($"Wrong, try again ({i}).", "novice", Near(1, i));
        // Labelled expert, but its reply sits among the novices.
        Add(Mislabelled, "expert", Near(1, 7));
        db.CollectionShares.Add(new CollectionShare { CollectionId = collection.Id, CohortId = cohort.Id, SharedAt = DateTimeOffset.UtcNow, SharedById = ownerId });
        await db.SaveChangesAsync(Ct);
        return (name, cohort.Id);
    }

    [Fact]
    public async Task The_owner_sees_the_separation_and_the_mislabelled_item_listed_first()
    {
        var owner = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var (name, _) = await AddCollectionAsync(owner.Id, trainee.Id);
        using var client = await api.CreateClientForAsync(owner.Id);

        var report = (await client.GetFromJsonAsync<CollectionQualityReport>($"/api/collections/{name}/quality", Ct))!;

        Assert.Equal((13, 7, 6), (report.ItemCount, report.ExpertCount, report.NoviceCount));
        var suspects = report.Suspects;
        Assert.Single(suspects);
        Assert.Equal(Mislabelled, suspects[0].Response);
        Assert.Equal("expert", suspects[0].Label);
        Assert.Equal(0, suspects[0].Agreeing);
        Assert.Equal(CollectionQuality.VoteNeighbours, suspects[0].Neighbours);
        // Six true experts above every novice (36 pairs right); the mislabelled one below all six novices (6 wrong): 36/42.
        Assert.Equal(Math.Round(36 / 42.0, 4), report.PairsOrderedRight);
        Assert.Equal(Math.Round(36 / 42.0, 4), report.Auc);
        Assert.Equal(13, report.Bins.Sum(b => b.Experts + b.Novices));

        // Asked again: the same figures (cached per import, and deterministic anyway).
        // The raw answers, byte for byte: the same figures, not only equal ones after reading.
        Assert.Equal(await client.GetStringAsync($"/api/collections/{name}/quality", Ct), await client.GetStringAsync($"/api/collections/{name}/quality", Ct));
        var again = (await client.GetFromJsonAsync<CollectionQualityReport>($"/api/collections/{name}/quality", Ct))!;
        Assert.Equal((report.Auc, report.SuspectCount), (again.Auc, again.SuspectCount));
    }

    [Fact]
    public async Task Only_the_owner_and_admins_see_the_quality_view()
    {
        var owner = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        var (name, _) = await AddCollectionAsync(owner.Id, trainee.Id);
        var url = $"/api/collections/{name}/quality";

        using var other = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Instructor)).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url, Ct)).StatusCode);
        // The trainee of the cohort it is shared with may judge against it, not curate it.
        using var member = await api.CreateClientForAsync(trainee.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(url, Ct)).StatusCode);
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url, Ct)).StatusCode);
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_instructor_of_a_cohort_sees_it_among_a_shared_collections_cohorts_and_its_trainee_does_not()
    {
        // An admin's collection shared with an instructor's cohort: the cohort page lists it from sharedWith.
        var admin = await api.CreateUserWithoutPasswordAsync(Roles.Admin);
        var instructor = await api.CreateUserWithoutPasswordAsync(Roles.Instructor);
        var trainee = await api.CreateUserWithoutPasswordAsync(Roles.Trainee);
        string name;
        Guid cohortId, otherCohortId;
        await using (var scope = api.CreateScope())
        {
            var db = api.Db(scope);
            cohortId = (await TestData.AddCohortAsync(db, instructor.Id, trainee.Id)).Id;
            otherCohortId = (await TestData.AddCohortAsync(db, admin.Id)).Id;
            name = await TestData.AddCollectionAsync(db, admin.Id, cohortId, otherCohortId);
        }
        using var teaching = await api.CreateClientForAsync(instructor.Id);
        var seen = (await teaching.GetFromJsonAsync<CollectionSummary>($"/api/collections/{name}", Ct))!;
        Assert.Equal([cohortId], seen.SharedWith.Select(k => k.Id));
        using var member = await api.CreateClientForAsync(trainee.Id);
        Assert.Empty((await member.GetFromJsonAsync<CollectionSummary>($"/api/collections/{name}", Ct))!.SharedWith);
    }
}
