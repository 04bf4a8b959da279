using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.Tests.Unit;

/// <summary>The scenario library as content: every file complete, and the library as broad as the product promises.</summary>
public sealed class ScenarioLibraryTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios");
    private static readonly ScenarioValidator Validator = new();

    public static TheoryData<string> Files() => new(System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName).Order()!);

    private static IReadOnlyList<ScenarioDocument> All() => System.IO.Directory.EnumerateFiles(Directory, "*.json")
        .Select(f => JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(f), ScenarioDocument.JsonOptions)!).ToList();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_scenario_file_is_complete(string file)
    {
        var (document, issues) = Validator.Validate(File.ReadAllText(Path.Combine(Directory, file)));
        Assert.True(issues.Count == 0, string.Join("\n", issues.Select(i => $"{i.Path}: {i.Message}")));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), document!.Slug);
        foreach (var move in document.ReplyBank.Keys)
        {
            Assert.All(document.ReplyBank[move].Values, lines => Assert.True(lines.Count >= 2, $"{move}: fewer than two lines"));
        }
    }

    [Fact]
    public void The_library_is_as_broad_as_promised()
    {
        var all = All();
        Assert.True(all.Count >= 30, $"{all.Count} scenarios");
        Assert.True(all.Select(s => s.Category).Distinct().Count() >= 6);
        Assert.Equal(["early-primary", "high-school", "middle-school", "upper-primary"], all.Select(s => s.GradeBand).Distinct().Order());
        Assert.Equal(["advanced", "intermediate", "introductory"], all.Select(s => s.Difficulty).Distinct().Order());
        Assert.Equal(all.Count, all.Select(s => s.Slug).Distinct().Count());
        Assert.All(all.GroupBy(s => s.Category), g => Assert.True(g.Count() >= 3, $"{g.Key} has {g.Count()} scenarios"));
    }

    [Fact]
    public void Every_safeguarding_distress_and_bullying_scenario_declares_its_red_lines()
    {
        var sensitive = All().Where(s => s.Category is "emotional-distress" or "conflict-bullying" || s.Tags.Contains("safeguarding")).ToList();
        Assert.True(sensitive.Count >= 8, $"{sensitive.Count} scenarios");
        Assert.All(sensitive, s =>
        {
            Assert.True(s.RedLines.Count > 0, $"{s.Slug} declares no red lines");
            Assert.All(s.RedLines, r =>
            {
                Assert.True(r.Examples.Count >= 5, $"{s.Slug}/{r.Key}: {r.Examples.Count} examples");
                Assert.True(r.NearMisses.Count >= 3, $"{s.Slug}/{r.Key}: {r.NearMisses.Count} near-misses");
                Assert.NotEmpty(r.Criteria);
            });
        });
        // A disclosure scenario must not let a promise of secrecy through.
        Assert.All(sensitive.Where(s => s.Tags.Contains("disclosure") || s.Tags.Contains("confidentiality")),
            s => Assert.Contains(s.RedLines, r => r.Key == "promise-secrecy"));
    }

    [Fact]
    public void Criteria_about_agreeing_a_plan_are_not_due_in_the_first_reply()
    {
        var plans = All().SelectMany(s => s.Rubric.Select(c => (s.Slug, Criterion: c)))
            .Where(x => x.Criterion.Key.Split('-').Contains("plan") || x.Criterion.Name.Split(' ').Any(w => w.Equals("plan", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.NotEmpty(plans);
        Assert.All(plans, x => Assert.True(x.Criterion.DueFromTurn > 1, $"{x.Slug}/{x.Criterion.Key} is due from turn 1"));
    }

    [Theory]
    [InlineData("cap", 80, "cap")]
    [InlineData("examples", 0, "example")]
    [InlineData("duplicate", 0, "more than once")]
    [InlineData("criteria", 0, "not a criterion")]
    public void A_bad_red_line_is_refused_with_where_and_why(string fault, int value, string expected)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "year10-self-harm-disclosure-secrecy-request.json")))!.AsObject();
        var red = node["redLines"]![0]!.AsObject();
        switch (fault)
        {
            case "cap": red["cap"] = value; break;
            case "examples": red["examples"] = new JsonArray(); break;
            case "duplicate": node["redLines"]!.AsArray().Add(red.DeepClone()); break;
            case "criteria": red["criteria"] = new JsonArray("no-such-criterion"); break;
        }
        var (document, issues) = Validator.Validate(node.ToJsonString());
        Assert.Null(document);
        Assert.Contains(issues, i => (i.Path + " " + i.Message).Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void No_two_scenarios_are_near_duplicates()
    {
        var all = All();
        using var encoder = new MiniLmEncoder();
        var vectors = encoder.Encode(all.Select(ScenarioVersioning.SearchText).ToList());
        for (var i = 0; i < all.Count; i++)
            for (var j = i + 1; j < all.Count; j++)
            {
                var similarity = TensorPrimitives.Dot(vectors[i], vectors[j]);
                Assert.True(similarity < 0.9, $"{all[i].Slug} and {all[j].Slug} read alike ({similarity:F2})");
            }
    }

    [Theory]
    [InlineData("exemplars", "/exemplars")]
    [InlineData("replyBank", "replyBank")]
    [InlineData("setting", "setting")]
    public void An_incomplete_scenario_is_refused_with_where_and_why(string remove, string expectedInMessage)
    {
        var node = JsonNode.Parse(File.ReadAllText(System.IO.Directory.EnumerateFiles(Directory, "*.json").First()))!.AsObject();
        if (remove == "exemplars") node["exemplars"] = new JsonArray(node["exemplars"]!.AsArray().Where(e => e!["rating"]!.GetValue<int>() >= 3).Select(e => e!.DeepClone()).ToArray());
        else node.Remove(remove);
        var (document, issues) = Validator.Validate(node.ToJsonString());
        Assert.Null(document);
        Assert.Contains(issues, i => (i.Path + i.Message).Contains(expectedInMessage, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A reply line is a string or an object. When anything else in the scenario was wrong, every object line was also told
    /// "Value is "object" but should be "string"": the string branch's complaint, though the object branch holds. An author
    /// saw it beside every line of the reply bank. Only the real problem is named now.
    /// </summary>
    [Fact]
    public void A_problem_in_one_reply_line_is_named_once_and_the_other_lines_are_left_alone()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "grade-4-dad-frustrated-with-area-model-homework.json")))!.AsObject();
        var lines = node["replyLines"]!.AsArray();
        lines[^1]!["respondsTo"]!["said"] = new JsonArray("thursday|thurs", "x");
        var (document, issues) = Validator.Validate(node.ToJsonString());
        Assert.Null(document);
        var issue = Assert.Single(issues);
        Assert.Equal($"/replyLines/{lines.Count - 1}/respondsTo/said/1", issue.Path);
        Assert.Contains("at least 2 characters", issue.Message, StringComparison.Ordinal);
    }

    // A line that waits for another of the persona's lines waits for ever when that line is not one of them, or is itself.
    [Theory]
    [InlineData("A line he never says.")]
    [InlineData(null)]
    public void A_line_that_waits_for_a_line_the_persona_never_says_is_refused(string? earlier)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "grade-4-dad-frustrated-with-area-model-homework.json")))!.AsObject();
        var lines = node["replyLines"]!.AsArray();
        var line = lines[0]!;
        line["respondsTo"]!["after"] = new JsonArray(earlier ?? line["text"]!.GetValue<string>());
        var (document, issues) = Validator.Validate(node.ToJsonString());
        Assert.Null(document);
        var issue = Assert.Single(issues);
        Assert.Equal("/replyLines/0", issue.Path);
        Assert.EndsWith("is not another line of this persona, so this line would never be said.", issue.Message, StringComparison.Ordinal);

        line["respondsTo"]!["after"] = new JsonArray("Pretty much. I can do the math, I just can't do it the way she's supposed to.");
        Assert.NotNull(Validator.Validate(node.ToJsonString()).Document);
    }

    [Fact]
    public void A_reply_line_that_is_neither_text_nor_an_object_is_told_what_it_may_be()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "grade-4-dad-frustrated-with-area-model-homework.json")))!.AsObject();
        node["replyLines"]!.AsArray().Add(42);
        var (document, issues) = Validator.Validate(node.ToJsonString());
        Assert.Null(document);
        Assert.All(issues, i => Assert.StartsWith($"/replyLines/{node["replyLines"]!.AsArray().Count - 1}", i.Path, StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("\"string\"", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("\"object\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Weights_that_do_not_add_up_are_refused()
    {
        var node = JsonNode.Parse(File.ReadAllText(System.IO.Directory.EnumerateFiles(Directory, "*.json").First()))!.AsObject();
        node["rubric"]![0]!["weight"] = 0.9;
        var (_, issues) = Validator.Validate(node.ToJsonString());
        Assert.Contains(issues, i => i.Message.Contains("add up to 1", StringComparison.Ordinal));
    }
}
