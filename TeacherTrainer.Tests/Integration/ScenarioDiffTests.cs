using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// Authoring a copy: a renamed persona is flagged by "Check for problems" and keeps a draft from being
/// published until its text agrees, and publishing shows what changed since the last published version.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ScenarioDiffTests(ApiFactory api)
{
    private const string Library = "grade-4-dad-frustrated-with-area-model-homework";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_renamed_copy_is_flagged_refused_for_publishing_until_fixed_and_its_diff_names_each_section()
    {
        var user = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Dina Diff");
        using var client = await api.CreateClientForAsync(user.Id);
        var slug = $"diff-{Guid.NewGuid():N}"[..20];
        (await client.PostAsJsonAsync($"/api/scenarios/{Library}/copy", new { slug }, Ct)).EnsureSuccessStatusCode();
        var document = (await client.GetFromJsonAsync<JsonObject>($"/api/scenarios/{slug}/document", Ct))!;

        // Renamed in the form only: the text still says Andre and Williams.
        document["persona"]!["name"] = "Marcus Johnson";
        var check = await client.PostAsJsonAsync("/api/scenarios/validate", document, Ct);
        var validation = (await check.Content.ReadFromJsonAsync<ScenarioValidation>(Ct))!;
        Assert.False(validation.Valid);
        Assert.Contains(validation.Issues, i => i.Path == "/persona/brief" && i.Message.Contains("“Andre”", StringComparison.Ordinal) && i.Severity == "warning");

        // A draft may be saved half-done, but not published while it disagrees with itself.
        (await client.PutAsJsonAsync($"/api/scenarios/{slug}", document, Ct)).EnsureSuccessStatusCode();
        // Published to the library (an admin's choice), so that the checks below meet what everyone would.
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var refused = await admin.PostAsync($"/api/scenarios/{slug}/publish", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("/setting", await refused.Content.ReadAsStringAsync(Ct));

        var diff = await client.PostAsJsonAsync($"/api/scenarios/{slug}/diff", document, Ct);
        Assert.Equal(HttpStatusCode.OK, diff.StatusCode);
        var first = (await diff.Content.ReadFromJsonAsync<ScenarioDiff>(Ct))!;
        Assert.True(first.FirstPublication);
        Assert.NotEmpty(first.Warnings);

        var fixedText = document.ToJsonString().Replace("Andre", "Marcus", StringComparison.Ordinal).Replace("Williams", "Johnson", StringComparison.Ordinal);
        var fixedDocument = JsonNode.Parse(fixedText)!.AsObject();
        (await client.PutAsJsonAsync($"/api/scenarios/{slug}", fixedDocument, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/scenarios/{slug}/publish", null, Ct)).EnsureSuccessStatusCode();
        var published = (await client.GetFromJsonAsync<ScenarioOwnership>($"/api/scenarios/{slug}/ownership", Ct))!.Version;

        // The next edit: the setting, one exemplar swapped for another, a criterion's weight moved.
        var next = (JsonObject)fixedDocument.DeepClone();
        next["setting"] = next["setting"]!.GetValue<string>() + " It is raining.";
        var exemplars = next["exemplars"]!.AsArray();
        exemplars.RemoveAt(0);
        exemplars.Add(new JsonObject { ["text"] = "Mr Johnson, thank you for writing; can we look at the sheet together?", ["rating"] = 4, ["rationale"] = "Acknowledges him and offers to look together." });
        next["rubric"]![0]!["description"] = next["rubric"]![0]!["description"]!.GetValue<string>() + " Edited.";
        var response = await client.PostAsJsonAsync($"/api/scenarios/{slug}/diff", next, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changes = (await response.Content.ReadFromJsonAsync<ScenarioDiff>(Ct))!;
        Assert.False(changes.FirstPublication);
        Assert.Equal(published, changes.ComparedWithVersion);
        var sections = changes.Changes.ToDictionary(c => c.Section, c => c.Summary);
        Assert.Equal(["Exemplars", "Rubric", "Setting"], sections.Keys.Order());
        Assert.Equal("+1 / -1", sections["Exemplars"]);
        Assert.Equal("1 criterion edited", sections["Rubric"]);

        // Another instructor may read the published scenario, not prepare its publication; an invalid document is told where and why.
        var other = await api.CreateUserWithoutPasswordAsync(Roles.Instructor, "Other");
        using var otherClient = await api.CreateClientForAsync(other.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherClient.PostAsJsonAsync($"/api/scenarios/{slug}/diff", next, Ct)).StatusCode);
        next["rubric"]![0]!["weight"] = 0.99;
        var invalid = await client.PostAsJsonAsync($"/api/scenarios/{slug}/diff", next, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("add up to 1", await invalid.Content.ReadAsStringAsync(Ct));
    }
}
