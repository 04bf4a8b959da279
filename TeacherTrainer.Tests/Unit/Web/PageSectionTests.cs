using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.Web.Components.Pages.Practice;
using TeacherTrainer.Web.Components.Pages.Teach.Review;
using TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;
using TeacherTrainer.Web.Services.Api;
using TeacherTrainer.Web.Services.Auth;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>bUnit tests of the pages' section components: what each shows from its parameters, and what it tells the page.</summary>
public sealed class PageSectionTests : BunitContext
{
    public PageSectionTests()
    {
        Services.AddSingleton(TimeProvider.System);
        // The toolbar's file input starts itself through JS; nothing here needs its answer.
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Sections that change something hold the API client; these tests only render them and click what calls no API.
        Services.AddSingleton<HttpClient>();
        Services.AddSingleton(sp => new ApiClient(sp.GetRequiredService<HttpClient>(), new ApiTokenSession(null!, null!, null!, TimeProvider.System)));
    }

    private static TurnReview Turn(int index, params CommentView[] comments) => new(
        Guid.NewGuid(), index, "I don't want to do this.", "I can see this matters to you.", "Fine. Whatever.", 55, DateTimeOffset.UtcNow,
        [new CriterionView("uptake", "Uptake", 40, null, 40), new CriterionView("tone", "Tone", 70, 80, 80, "Warmer than it scored.", "Ms Okafor")],
        comments, EngineScore: 50, Band: Band.Developing);

    [Fact]
    public void A_review_turn_opens_the_score_form_of_the_criterion_the_page_says_and_asks_the_page_to_open_another()
    {
        string? asked = null;
        var turn = Turn(0);
        var cut = Render<ReviewTurnCard>(p => p
            .Add(c => c.Turn, turn).Add(c => c.PersonaName, "Kofi").Add(c => c.TraineeName, "Ada").Add(c => c.CanReview, true)
            .Add(c => c.Editing, "tone").Add(c => c.OnEdit, (string? key) => asked = key));

        // One form, for the criterion being edited; the others keep their Change button.
        Assert.Single(cut.FindAll("[data-testid=override-score]"));
        Assert.Contains("Tone", cut.Find("form[aria-label^='Change the score']").GetAttribute("aria-label"));
        var change = Assert.Single(cut.FindAll("[data-testid=override-open]"));
        Assert.Contains("Warmer than it scored.", cut.Find("[data-testid=override-reason-shown]").TextContent);

        change.Click();
        Assert.Equal("uptake", asked);
    }

    [Fact]
    public void A_review_turn_offers_no_changes_or_comments_to_a_reader_who_may_not_review()
    {
        var cut = Render<ReviewTurnCard>(p => p
            .Add(c => c.Turn, Turn(1, new CommentView(Guid.NewGuid(), Guid.NewGuid(), "Ms Okafor", "Ask first.", DateTimeOffset.UtcNow)))
            .Add(c => c.PersonaName, "Kofi").Add(c => c.TraineeName, "Ada").Add(c => c.CanReview, false));

        Assert.Empty(cut.FindAll("[data-testid=override-open]"));
        Assert.Empty(cut.FindAll("[data-testid=comment-box]"));
        Assert.Contains("Ask first.", cut.Find("[data-testid=review-comment]").TextContent);
        Assert.Equal("Turn 2", cut.Find("h2").TextContent.Trim());
    }

    [Fact]
    public void The_summary_transcript_puts_each_comment_and_score_change_under_its_turn()
    {
        var first = WebSamples.Saved(0, "Sit down, please.", "No.").Turn;
        var second = WebSamples.Saved(1, "I can see you're upset.", "Maybe.").Turn;
        var session = WebSamples.Session(first, second);
        var comments = new Dictionary<Guid, IReadOnlyList<CommentView>>
        {
            [second.Id] = [new CommentView(Guid.NewGuid(), Guid.NewGuid(), "Ms Okafor", "Better: you named it.", DateTimeOffset.UtcNow)],
        };
        IReadOnlyList<OverrideAuditView> overrides =
            [new OverrideAuditView(Guid.NewGuid(), first.Id, "validate", 81, null, 90, "Warmer than it scored.", Guid.NewGuid(), "Ms Okafor", DateTimeOffset.UtcNow)];

        var cut = Render<SummaryTranscript>(p => p.Add(c => c.Session, session).Add(c => c.Comments, comments).Add(c => c.Overrides, overrides));

        // In document order: turn 1, its score change, turn 2, its comment.
        var order = cut.FindAll("[data-testid=transcript-turn], [data-testid=instructor-comment], [data-testid=score-override]")
            .Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(["transcript-turn", "score-override", "transcript-turn", "instructor-comment"], order);
        Assert.Contains("changed “Acknowledges feelings” from 81 to 90", cut.Find("[data-testid=score-override]").TextContent);
    }

    [Fact]
    public void The_issue_list_counts_errors_and_warnings_and_each_problem_asks_for_its_tab()
    {
        string? wanted = null;
        var draft = ScenarioDraft.Blank();
        var issues = new IssueList(
            [new ScenarioIssue("/persona/name", "Give the persona a name."), new ScenarioIssue("/rubric", "Weights should add up to 1.", "warning")], draft.Document);

        var summary = Render<ScenarioIssuesSummary>(p => p.Add(c => c.Issues, issues).Add(c => c.OnGo, (string path) => wanted = ScenarioSections.KeyOf(path)));
        Assert.Contains("1 problem to fix before saving; 1 warning to fix before publishing", summary.Find("h2").TextContent);
        summary.FindAll("a")[1].Click();
        Assert.Equal("rubric", wanted);

        var tabs = Render<ScenarioSectionTabs>(p => p.Add(c => c.Current, "setting").Add(c => c.Issues, issues));
        var badge = tabs.Find("[data-testid=tab-persona] .badge");
        Assert.StartsWith("1", badge.TextContent);
        Assert.Contains("issue", badge.QuerySelector(".visually-hidden")!.TextContent);
        Assert.Empty(tabs.Find("[data-testid=tab-setting]").QuerySelectorAll(".badge"));
        Assert.Equal("true", tabs.Find("[data-testid=tab-setting]").GetAttribute("aria-selected"));
    }

    [Fact]
    public void The_toolbar_names_the_save_by_the_scenarios_status_and_asks_before_archiving()
    {
        var archived = 0;
        var cut = Render<ScenarioToolbar>(p => p.Add(c => c.CanSave, true).Add(c => c.Status, "draft").Add(c => c.OnArchive, () => archived++));
        Assert.Equal("Save draft", cut.Find("[data-testid=publish-scenario]").TextContent.Trim());
        Assert.Equal("Publish…", cut.Find("[data-testid=publish-draft]").TextContent.Trim());

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Archive…").Click();
        Assert.Equal(0, archived);
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Archive").Click();
        Assert.Equal(1, archived);

        var published = Render<ScenarioToolbar>(p => p.Add(c => c.CanSave, true).Add(c => c.Status, "published"));
        Assert.Equal("Publish new version", published.Find("[data-testid=publish-scenario]").TextContent.Trim());
        var readOnly = Render<ScenarioToolbar>(p => p.Add(c => c.CanSave, false).Add(c => c.Status, "published"));
        Assert.Empty(readOnly.FindAll("[data-testid=publish-scenario], [data-testid=publish-draft], #import-file"));
    }
}
