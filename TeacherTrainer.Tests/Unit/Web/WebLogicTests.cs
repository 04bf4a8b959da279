using System.Buffers.Text;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using TeacherTrainer.Web.Components.Pages.Teach.Cohorts;
using TeacherTrainer.Web.Components.Pages.Teach.Collections;
using TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;
using TeacherTrainer.Web.Extensions;
using TeacherTrainer.Web.Services.Api;
using TeacherTrainer.Web.Services.Auth;
using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>The web app's own logic: files it reads, documents it edits, tickets it builds, words it shows.</summary>
public sealed class WebLogicTests
{
    [Fact]
    public void A_collection_file_is_read_as_json_or_json_lines_and_every_bad_item_is_named_by_its_line()
    {
        const string item = """{"context":[{"speaker":"student","text":"Is 0.5 less than 0.45?"}],"response":"What makes you think so?","quality":"expert"}""";
        var json = CollectionFile.Parse($$"""{"description":"Decimals","items":[{{item}},{{item.Replace("expert", "novice")}}]}""", "decimals.json");
        var array = CollectionFile.Parse($"[{item}]", "decimals.json");
        var lines = CollectionFile.Parse($"{item}\n\n{item.Replace("student", "robot")}\nnot json\n{item.Replace("expert", "great")}\n", "decimals.jsonl");

        Assert.Equal(("Decimals", 2, 1, 1), (json.Description, json.Items.Count, json.Experts, json.Novices));
        Assert.Empty(json.Problems);
        Assert.Single(array.Items);
        Assert.Single(lines.Items);
        Assert.Collection(lines.Problems,
            p => Assert.StartsWith("Line 3: each context turn's speaker", p),
            p => Assert.StartsWith("Line 4: not valid JSON", p),
            p => Assert.StartsWith("Line 5: quality must be", p));
        Assert.Equal(["The file holds no items."], CollectionFile.Parse("  ", "empty.jsonl").Problems);
        Assert.Matches(CollectionFile.NamePattern(), "fractions-2026_a");
        Assert.DoesNotMatch(CollectionFile.NamePattern(), "Fractions 2026");
    }

    [Fact]
    public void The_scenario_form_edits_the_json_document_and_keeps_what_it_does_not_show()
    {
        var draft = new ScenarioDraft(JsonNode.Parse("""
            {"slug":"s","title":"Old","persona":{"name":"Kofi","age":6,"traits":["proud"]},"goals":["a"],"rubric":[{"key":"k","weight":1}]}
            """)!.AsObject());

        draft.Title = "New title";
        draft.PersonaAge = 7;
        draft.Goals = "Calm him\n\n  Agree a next step  ";
        draft.Tags = "lego, tidy-up,";
        var json = JsonNode.Parse(draft.ToJson())!;

        Assert.Equal("New title", (string)json["title"]!);
        Assert.Equal(7, (int)json["persona"]!["age"]!);
        Assert.Equal(["Calm him", "Agree a next step"], json["goals"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(["lego", "tidy-up"], json["tags"]!.AsArray().Select(g => (string)g!));
        Assert.Equal("proud", (string)json["persona"]!["traits"]![0]!);
        Assert.Equal(1, (double)json["rubric"]![0]!["weight"]!);
        Assert.Null(ScenarioDraft.Parse("{ not json", out var error));
        Assert.StartsWith("Not valid JSON", error);
        Assert.Equal("s-copy", ScenarioDraft.CopyOf(draft.Document).Slug);
    }

    [Fact]
    public void The_section_editors_find_the_apis_problems_by_their_field_and_round_trip_through_json()
    {
        var draft = new ScenarioDraft(JsonNode.Parse("""
            {"slug":"s","persona":{"name":"Kofi","goals":[{"key":"heard"},{"key":"plan"}]},"rubric":[{"key":"calm"},{"key":"listening"}],
             "replyLines":["A plain line", {"text":"An object line"}],"exemplars":[{"text":"x","rating":5}]}
            """)!.AsObject());
        // A plain-string reply line becomes an object the form can edit, with the same text.
        Assert.Equal("A plain line", DraftJson.Str(DraftJson.Objects(draft.Document, "replyLines")[0], "text"));

        var issues = new IssueList(
        [
            new ScenarioIssue("/rubric/listening", "dueFromTurn must be between 1 and the turn limit (8)."),
            new ScenarioIssue("/persona/goals/plan", "'x' is not another goal of this persona."),
            new ScenarioIssue("/persona/brief", "Still says “Andre”.", "warning"),
        ], draft.Document);
        Assert.Single(issues.At("/rubric/1"));
        Assert.Single(issues.Under("/persona/goals/1"));
        Assert.Equal("is-invalid", issues.Invalid("/persona/brief"));
        Assert.Empty(issues.At("/rubric/0"));

        // What the editors set is what the JSON tab shows; empty optional fields are left out.
        var exemplar = DraftJson.Objects(draft.Document, "exemplars")[0];
        DraftJson.SetCommas(exemplar, "criteria", "calm, listening,");
        DraftJson.Set(exemplar, "after", " ", optional: true);
        DraftJson.SetDouble(DraftJson.Objects(draft.Document, "rubric")[0], "weight", "0.6");
        var json = JsonNode.Parse(draft.ToJson())!;
        Assert.Equal(["calm", "listening"], json["exemplars"]![0]!["criteria"]!.AsArray().Select(c => (string)c!));
        Assert.Null(json["exemplars"]![0]!["after"]);
        Assert.Equal(0.6, (double)json["rubric"]![0]!["weight"]!);
        Assert.Equal(draft.ToJson(), ScenarioDraft.Parse(draft.ToJson(), out _)!.ToJson());
    }

    [Fact]
    public void The_signed_in_user_is_read_from_the_apis_access_token_with_every_role()
    {
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            """{"sub":"01a2109c-1458-78eb-9e59-96b6760f8a16","name":"Ines","email":"ines@school.org","role":["instructor","admin"]}"""));
        var principal = SessionTickets.Principal("session-1", $"e30.{payload}.sig");

        Assert.True(principal.IsSignedIn());
        Assert.Equal(Guid.Parse("01a2109c-1458-78eb-9e59-96b6760f8a16"), principal.UserId());
        Assert.Equal("Ines", principal.DisplayName());
        Assert.Equal("admin", principal.Role());
        Assert.True(principal.CanTeach());
        Assert.Equal("session-1", principal.FindFirstValue(WebClaims.SessionId));
        Assert.Throws<FormatException>(() => SessionTickets.Principal("s", "not-a-jwt"));
    }

    [Fact]
    public void Tokens_round_trip_through_the_tickets_properties()
    {
        var tokens = new ApiTokens("access", "refresh", new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
        var properties = new Microsoft.AspNetCore.Authentication.AuthenticationProperties();
        tokens.StoreIn(properties);
        Assert.Equal(tokens, ApiTokens.From(properties));
        Assert.Null(ApiTokens.From(new Microsoft.AspNetCore.Authentication.AuthenticationProperties()));
    }

    [Theory]
    [InlineData("/practice/1", "/practice/1")]
    [InlineData("/scenarios?q=angry%20parent", "/scenarios?q=angry%20parent")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData(null, "/")]
    public void Sign_in_only_returns_to_pages_of_this_site(string? returnUrl, string expected)
        => Assert.Equal(expected, AuthenticationExtensions.LocalUrl(returnUrl, "/"));

    [Fact]
    public async Task The_apis_problem_details_become_a_sentence_and_field_messages()
    {
        using var validation = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"title":"One or more validation errors occurred.","status":400,"errors":{"inviteCode":["No cohort has this invitation code."]}}""", Encoding.UTF8, "application/problem+json"),
        };
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("") };
        limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
        using var expired = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("") };
        var ct = TestContext.Current.CancellationToken;

        var invalid = await ApiProblemException.FromResponseAsync(validation, ct);
        var slow = await ApiProblemException.FromResponseAsync(limited, ct);

        Assert.Equal(["No cohort has this invitation code."], invalid.ErrorsFor("InviteCode"));
        Assert.Equal("You're going a little fast. Try again in 12 seconds.", slow.UserMessage);
        Assert.IsType<SignedOutException>(await ApiProblemException.FromResponseAsync(expired, ct));
        Assert.IsNotType<SignedOutException>(await ApiProblemException.FromResponseAsync(expired, ct, unauthorizedIsSignedOut: false));
    }

    [Fact]
    public void Due_dates_read_as_people_say_them()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("due today", Labels.Due(now.AddHours(6), now));
        Assert.Equal("due tomorrow", Labels.Due(now.AddDays(1), now));
        Assert.Equal("due in 7 days", Labels.Due(now.AddDays(7), now));
        Assert.Equal("overdue", Labels.Due(now.AddHours(-1), now));
        Assert.Equal("overdue by 3 days", Labels.Due(now.AddDays(-3), now));
        Assert.Equal("Errors & misconceptions", Labels.Category("errors-misconceptions"));
        Assert.Equal("Upper primary", Labels.GradeBand("upper-primary"));
    }
}
