using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// A copied scenario whose persona was renamed, aged or given other pronouns must not pass "Check for
/// problems" while its text still describes the old persona; criteria need exemplars on both sides.
/// </summary>
public sealed class ScenarioConsistencyTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios");
    private static readonly ScenarioValidator Validator = new();
    private const string AndreFile = "grade-4-dad-frustrated-with-area-model-homework.json";

    private static JsonObject Load(string file = AndreFile) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, file)))!.AsObject();

    private static ScenarioDocument Parse(JsonObject node) => JsonSerializer.Deserialize<ScenarioDocument>(node.ToJsonString(), ScenarioDocument.JsonOptions)!;

    [Fact]
    public void The_library_as_it_ships_has_no_consistency_warnings()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            var issues = ScenarioConsistency.Check(Parse(JsonNode.Parse(File.ReadAllText(file))!.AsObject())).ToList();
            Assert.True(issues.Count == 0, $"{Path.GetFileName(file)}: " + string.Join("\n", issues.Select(i => $"{i.Path}: {i.Message}")));
        }
    }

    [Fact]
    public void A_renamed_persona_whose_text_still_says_the_old_name_is_flagged_at_each_field()
    {
        var original = Load();
        var renamed = Load();
        renamed["persona"]!["name"] = "Marcus Johnson";

        var (document, issues) = Validator.Validate(renamed.ToJsonString(), [Parse(original)]);

        Assert.NotNull(document); // a warning: the draft may still be saved
        Assert.All(issues, i => Assert.Equal(ScenarioConsistency.Warning, i.Severity));
        // The setting talks about Kayla Williams and never names Marcus; the brief still says Andre.
        Assert.Contains(issues, i => i.Path == "/setting" && i.Message.Contains("“Williams”", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Path == "/setting" && i.Message.Contains("never names the persona (Marcus)", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Path == "/persona/brief" && i.Message.Contains("“Andre”", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rename_fixed_in_every_text_passes()
    {
        var original = Load();
        var text = original.ToJsonString().Replace("Andre", "Marcus", StringComparison.Ordinal).Replace("Williams", "Johnson", StringComparison.Ordinal);
        var (document, issues) = Validator.Validate(text, [Parse(original)]);
        Assert.NotNull(document);
        Assert.True(issues.Count == 0, string.Join("\n", issues.Select(i => $"{i.Path}: {i.Message}")));
    }

    [Fact]
    public void Without_the_earlier_version_a_renamed_persona_is_still_caught_by_its_setting()
    {
        var renamed = Load();
        renamed["persona"]!["name"] = "Marcus Johnson";
        var (_, issues) = Validator.Validate(renamed.ToJsonString());
        Assert.Contains(issues, i => i.Path == "/setting" && i.Message.Contains("Marcus", StringComparison.Ordinal));
    }

    [Fact]
    public void An_age_that_no_longer_matches_the_persona_is_flagged()
    {
        // "Leo Nguyen, six, pushed Zara..." in the setting.
        var original = Load("grade1-pushed-classmate-off-tire-swing.json");
        var older = Load("grade1-pushed-classmate-off-tire-swing.json");
        older["persona"]!["age"] = 9;

        var (_, withHistory) = Validator.Validate(older.ToJsonString(), [Parse(original)]);
        Assert.Contains(withHistory, i => i.Path == "/setting" && i.Message.Contains("age 6", StringComparison.Ordinal));
        var (_, alone) = Validator.Validate(older.ToJsonString());
        Assert.Contains(alone, i => i.Path == "/setting" && i.Message.Contains("Leo's age as 6, but the persona is 9", StringComparison.Ordinal));
    }

    [Fact]
    public void Pronouns_that_no_longer_match_the_persona_are_flagged()
    {
        var node = Load("grade1-pushed-classmate-off-tire-swing.json");
        node["persona"]!["pronouns"] = "she/her";
        node["setting"] = node["setting"]!.GetValue<string>() + " Leo says he did nothing wrong.";

        var (_, issues) = Validator.Validate(node.ToJsonString());
        Assert.Contains(issues, i => i.Path == "/setting" && i.Message.StartsWith("Calls Leo “h", StringComparison.Ordinal) && i.Message.Contains("she/her", StringComparison.Ordinal));

        node["persona"]!["pronouns"] = "he/him";
        var (_, fixedIssues) = Validator.Validate(node.ToJsonString());
        Assert.DoesNotContain(fixedIssues, i => i.Message.Contains("Calls Leo", StringComparison.Ordinal));
    }

    [Fact]
    public void A_role_implies_pronouns_when_none_are_given()
    {
        var node = Load();
        node["persona"]!["role"] = "mother of a 4th grade student";
        node["setting"] = node["setting"]!.GetValue<string>() + " Andre says he is tired of the new methods.";
        var (_, issues) = Validator.Validate(node.ToJsonString());
        Assert.Contains(issues, i => i.Message.Contains("she/her", StringComparison.Ordinal) && i.Message.StartsWith("Calls Andre", StringComparison.Ordinal));
    }

    [Fact]
    public void A_criterion_without_exemplars_on_both_sides_is_flagged()
    {
        var node = Load();
        var first = node["rubric"]![0]!["key"]!.GetValue<string>();
        var second = node["rubric"]![1]!["key"]!.GetValue<string>();
        // Every exemplar now illustrates the second criterion only: the first has no exemplars at all,
        foreach (var exemplar in node["exemplars"]!.AsArray()) exemplar!["criteria"] = new JsonArray(second);
        var (_, none) = Validator.Validate(node.ToJsonString());
        Assert.Contains(none, i => i.Path == "/rubric/0" && i.Message.Contains("no exemplar rated high (4-5) or low (1-2)", StringComparison.Ordinal));
        Assert.DoesNotContain(none, i => i.Path == "/rubric/1");

        // and once the high-rated ones illustrate it too, it still lacks the low side.
        foreach (var exemplar in node["exemplars"]!.AsArray().Where(e => e!["rating"]!.GetValue<int>() >= 4)) exemplar!["criteria"] = new JsonArray(first, second);
        var (_, oneSided) = Validator.Validate(node.ToJsonString());
        Assert.Contains(oneSided, i => i.Path == "/rubric/0" && i.Message.Contains("no exemplar rated low (1-2)", StringComparison.Ordinal));

        node["exemplars"]![0]!["criteria"] = new JsonArray("no-such-criterion");
        var (_, unknown) = Validator.Validate(node.ToJsonString());
        Assert.Contains(unknown, i => i.Path == "/exemplars/0/criteria");
    }
}
