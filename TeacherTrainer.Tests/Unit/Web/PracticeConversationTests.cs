using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.Web.Components.Pages.Practice;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>Retried turns and the screen-reader announcement on the practice page, without a browser.</summary>
public sealed class PracticeConversationTests : BunitContext
{
    public PracticeConversationTests() => Services.AddSingleton(TimeProvider.System);

    [Fact]
    public void A_retried_turn_is_shown_greyed_and_labelled_and_the_next_reply_takes_its_index()
    {
        var kept = WebSamples.Saved(0, "You're proud of it.", "It's MY rocket.").Turn;
        var retried = WebSamples.Saved(1, "Put it away now.", "No!").Turn with { RetriedAt = DateTimeOffset.UtcNow };
        var conversation = new PracticeConversation(WebSamples.Session(kept, retried) with { TurnCount = 1 });

        Assert.Same(conversation.Turns[0], conversation.LastCounted);
        Assert.Equal(7, conversation.TurnsLeft);
        Assert.Equal(1, conversation.Begin("Shall we keep it on the shelf?").Index);

        var cut = Render<ChatLog>(p => p.Add(c => c.Conversation, conversation));
        var messages = cut.FindAll("[data-testid=trainee-message]");
        Assert.Equal(["false", "true", "false"], messages.Select(m => m.GetAttribute("data-retried")));
        Assert.Equal("Retried", messages[1].QuerySelector("[data-testid=retried-label]")!.TextContent);
        Assert.Contains("bubble-retried", messages[1].ClassName);
        Assert.Contains("Feedback on turn 2, retried: 58", cut.Markup);
    }

    [Fact]
    public void The_announcement_gives_the_score_and_band_then_why_the_mood_moved()
    {
        Assert.Equal("Score 72, strong. Andre eased: you acknowledged his evening.",
            PracticeConversation.Announce("Andre", 72, Band.Strong, "escalated", "guarded", "Andre eased: you acknowledged his evening"));
        Assert.Equal("Score 40, weak. Kofi is now escalated.", PracticeConversation.Announce("Kofi", 40, Band.Weak, "guarded", "escalated", null));
        Assert.Equal("Score 58, developing. Kofi is still guarded.", PracticeConversation.Announce("Kofi", 58, Band.Developing, "guarded", "guarded", null));
    }

    [Fact]
    public void The_mood_reason_travels_with_the_judgement_and_the_saved_turn()
    {
        var conversation = new PracticeConversation(WebSamples.Session());
        var turn = conversation.Begin("I can see you're upset.");
        conversation.Apply(turn, new TurnEvent.Judged(WebSamples.Judged(0) with { MoodReason = "Kofi eased: you named his pride" }));
        Assert.Equal("Kofi eased: you named his pride", conversation.MoodReason);
        conversation.Apply(turn, new TurnEvent.Completed(WebSamples.Saved(0, "I can see you're upset.", "Hmph.")));
        Assert.Equal("Kofi eased: you named his pride", turn.MoodReason);
        Assert.Equal(TurnPhase.Done, turn.Phase);
    }
}
