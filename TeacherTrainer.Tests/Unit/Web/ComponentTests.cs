using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.Web.Components.Pages.Practice;
using TeacherTrainer.Web.Components.Shared;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>bUnit tests of the components that show judgements, the persona's mood and the chat.</summary>
public sealed class ComponentTests : BunitContext
{
    private const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)><b>bold</b>";

    public ComponentTests() => Services.AddSingleton(TimeProvider.System);

    [Fact]
    public void Evidence_is_marked_in_the_trainees_words_and_html_in_them_stays_text()
    {
        var criteria = new[] { new CriterionJudgement("x", "Tone", 40, "<b>bold</b>", "", 1, Hostile.IndexOf("<b>", StringComparison.Ordinal), "cost") };

        var cut = Render<EvidenceText>(p => p.Add(c => c.Text, Hostile).Add(c => c.Criteria, criteria));

        Assert.Empty(cut.FindAll("script, img, b"));
        var mark = cut.Find("mark.evidence-cost");
        Assert.StartsWith("<b>bold</b>", mark.TextContent);
        Assert.Contains("cost: Tone", mark.GetAttribute("title"));
        Assert.Equal(Hostile, cut.Find("[data-testid=evidence-text]").TextContent.Replace(" (cost: Tone)", ""));
    }

    [Fact]
    public void A_judgement_shows_its_score_band_a_bar_per_criterion_the_evidence_the_expert_reply_and_the_suggestion()
    {
        var cut = Render<JudgementPanel>(p => p
            .Add(c => c.Judgement, WebSamples.Judgement())
            .Add(c => c.TraineeText, WebSamples.Reply)
            .Add(c => c.MoveName, "Validating feelings"));

        Assert.Equal("58", cut.Find("[data-testid=overall-score]").TextContent);
        Assert.Equal("Developing", cut.Find("[data-testid=band]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=score-bar]").Count);
        Assert.Equal("81", cut.Find("[data-testid=criterion-validate] [role=meter]").GetAttribute("aria-valuenow"));
        Assert.Single(cut.FindAll("[data-testid=evidence-earned]"));
        Assert.Single(cut.FindAll("[data-testid=evidence-cost]"));
        // The nearest expert (strong) reply, not the nearest one of all.
        Assert.Contains("Let's find a calm spot", cut.Find("[data-testid=expert-reply]").TextContent);
        Assert.Equal("Drop the threat; offer a choice instead.", cut.Find("[data-testid=suggestion]").TextContent);
    }

    [Fact]
    public void A_criterion_not_yet_due_is_shown_greyed_as_not_yet_due_not_as_a_failing_bar()
    {
        var judgement = WebSamples.Judgement();
        judgement = judgement with
        {
            Criteria = [.. judgement.Criteria, new CriterionJudgement("plan", "Agrees a plan", 12, null, "Not due yet: agreeing a plan comes later in this conversation.", 0, -1, "not-yet-due")],
        };
        var cut = Render<JudgementPanel>(p => p.Add(c => c.Judgement, judgement));

        var plan = cut.Find("[data-testid=criterion-plan]");
        Assert.Null(plan.QuerySelector("[role=meter]"));
        Assert.Equal("not yet due", plan.QuerySelector("[data-testid=not-yet-due]")!.TextContent);
        Assert.Contains("Not due yet", plan.TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=score-bar]").Count);
    }

    [Fact]
    public void A_criterion_met_in_an_earlier_reply_is_shown_greyed_as_done_earlier_not_as_a_failing_bar()
    {
        var judgement = WebSamples.Judgement();
        judgement = judgement with
        {
            Criteria = [.. judgement.Criteria, new CriterionJudgement("probe", "Probes his reasoning", 29, null, "Done earlier: your turn 2 did this (\u201CWhat do you mean when you say wool is warm?\u201D), so this reply is not asked to do it again and it does not count in this reply's score.", 0, -1, "met-earlier")],
        };
        var cut = Render<JudgementPanel>(p => p.Add(c => c.Judgement, judgement));

        var probe = cut.Find("[data-testid=criterion-probe]");
        Assert.Null(probe.QuerySelector("[role=meter]"));
        Assert.Equal("done earlier", probe.QuerySelector("[data-testid=met-earlier]")!.TextContent);
        Assert.Contains("your turn 2 did this", probe.TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=score-bar]").Count);
    }

    [Fact]
    public void An_instructors_override_shows_beside_the_engines_score_with_its_reason()
    {
        var cut = Render<JudgementPanel>(p => p
            .Add(c => c.Judgement, WebSamples.Judgement())
            .Add(c => c.Overrides, [new CriterionScoreView("threat", "Avoids threats", 22, 60, 60, "Firm, but no threat: <b>fair</b>.", "Ms Byrne")]));

        var threat = cut.Find("[data-testid=criterion-threat]");
        Assert.Equal("60", threat.QuerySelector("[role=meter]")!.GetAttribute("aria-valuenow"));
        Assert.Contains("22", threat.QuerySelector(".text-decoration-line-through")!.TextContent);
        var note = threat.QuerySelector("[data-testid=override-note]")!;
        Assert.Contains("Ms Byrne changed this score from the engine's 22 to 60", note.TextContent);
        // The reason is the instructor's words, shown as text.
        Assert.Contains("Firm, but no threat: <b>fair</b>.", note.TextContent);
        Assert.Null(note.QuerySelector("b"));
    }

    [Fact]
    public void The_mood_gauge_places_the_persona_between_calm_and_escalated_in_words_and_numbers()
    {
        var cut = Render<MoodGauge>(p => p
            .Add(c => c.State, new PersonaStateValues(0.8, 0.2, 0.5))
            .Add(c => c.Mood, "escalated")
            .Add(c => c.Name, "Kofi"));

        Assert.Equal("Escalated", cut.Find("[data-testid=mood-label]").TextContent);
        var meter = cut.Find("[role=meter]");
        Assert.Equal("80", meter.GetAttribute("aria-valuenow"));
        Assert.Contains("Escalated", meter.GetAttribute("aria-valuetext"));
        Assert.Contains("left: 80%", cut.Find(".mood-marker").GetAttribute("style"));
    }

    [Fact]
    public void The_chat_shows_the_reply_at_once_then_its_judgement_then_the_persona_streaming_in_then_the_saved_turn()
    {
        var conversation = new PracticeConversation(WebSamples.Session());
        var cut = Render<ChatLog>(p => p.Add(c => c.Conversation, conversation));
        Assert.Single(cut.FindAll("[data-testid=persona-message]"));

        var turn = conversation.Begin(Hostile);
        cut.Render();
        Assert.Equal(Hostile, cut.Find("[data-testid=trainee-text]").TextContent);
        Assert.Empty(cut.FindAll(".chat-log script, .chat-log img, .chat-log b"));
        Assert.Contains("Judging your reply", cut.Markup);

        conversation.Apply(turn, new TurnEvent.Judged(WebSamples.Judged(0)));
        cut.Render();
        Assert.Equal("guarded", conversation.Mood);
        Assert.NotNull(cut.Find("[data-testid=persona-thinking]"));
        Assert.Contains("Feedback on turn 1: 58", cut.Markup);

        var shown = new List<string>();
        foreach (var piece in new[] { "Fine.", " But", " nobody", " touches it." })
        {
            conversation.Apply(turn, new TurnEvent.PersonaDelta(piece));
            cut.Render();
            var streaming = cut.Find("[data-testid=persona-message][data-streaming=true] .bubble-text");
            shown.Add(streaming.TextContent);
        }
        Assert.Equal(["Fine.", "Fine. But", "Fine. But nobody", "Fine. But nobody touches it."], shown);

        conversation.Apply(turn, new TurnEvent.Completed(WebSamples.Saved(0, Hostile, "Fine. But nobody touches it!")));
        cut.Render();
        Assert.Empty(cut.FindAll("[data-streaming=true]"));
        Assert.Equal("Fine. But nobody touches it!", cut.Find("[data-streaming=false] .bubble-text").TextContent);
        Assert.Equal(TurnPhase.Done, turn.Phase);
        Assert.Equal("settled", conversation.Mood);
        Assert.Equal(6, conversation.TurnsLeft);
    }

    [Fact]
    public void A_turn_that_fails_reports_its_problem_and_leaves_the_conversation()
    {
        var conversation = new PracticeConversation(WebSamples.Session());
        var turn = conversation.Begin("Hello");

        var problem = conversation.Apply(turn, new TurnEvent.Failed(new ApiProblemException(503, "Turn not saved", "Send it again.")));
        conversation.Abandon(turn);

        Assert.Equal("Send it again.", problem!.UserMessage);
        Assert.Empty(conversation.Turns);
        Assert.Null(conversation.InFlight);
    }
}
