using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Unit;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// What the judge hears a reply do decides whether its topic can earn anything. A reply heard as harmful earns nothing by
/// sitting near a good indicator: "Cheer up, Sofia. Pickles wouldn't want you to be sad." is a dismissal and scored 55, with
/// "name the feeling" shown as earned. And because a harmful reading now costs more, sincere replies must not be heard as
/// harmful: the TA's strong exemplar was sarcasm (0.91) and Liam's teacher's was sarcasm (0.57). The real engine, through the
/// practice service's judge.
/// </summary>
public sealed class HeardAsHarmfulTests
{
    private static string Summary(EvaluationResult result)
        => $"{result.Judgement.Score} {result.Move.Move} {result.Move.Confidence}: {string.Join(" | ", result.Judgement.Criteria.Select(c => $"{c.Key} {c.Score} {c.Effect}"))}";

    [Theory]
    [InlineData("grade1-dog-died-morning-tears", "Cheer up, Sofia. Pickles wouldn't want you to be sad.")]
    [InlineData("year6-sats-practice-paper-panic", "It's not that bad, Priya. Everyone finds question 7 hard.")]
    public async Task A_reply_heard_as_harmful_earns_nothing_by_its_topic(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.True(Moves.IsHarmful(result.Move.Move), Summary(result));
        Assert.DoesNotContain(result.Judgement.Criteria, c => c.Key != "uptake" && c.Effect == "earned");
        Assert.True(result.Judgement.Score < 40, Summary(result));
    }

    // Calling to them with an "Oh" is not sarcasm: "Oh, Bia." alone was sarcasm (0.99), and "Oh, sweetheart, a blank head is
    // horrible." was also read as a sneer tacked on, capping the reply at 15. "Oh great, the comedian's back." keeps its reading.
    [Theory]
    [InlineData("year1-new-arrival-eal-blank-page-writing", "Oh, Bia. You are not stupid. Look, we draw together.", 40)]
    [InlineData("year6-sats-practice-paper-panic", "Oh, sweetheart, a blank head is horrible. It happens to loads of people.", 50)]
    public async Task An_oh_that_calls_to_them_is_not_sarcasm(string slug, string reply, int atLeast)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.False(Moves.IsHarmful(result.Move.Move), Summary(result));
        Assert.DoesNotContain(IntegrityFamilies.Sneer, result.Judgement.Flags);
        Assert.True(result.Judgement.Score >= atLeast, Summary(result));
    }

    [Fact]
    public async Task An_oh_that_carries_the_sneer_keeps_it()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync("grade4-math-class-clown-fractions", "Oh great, the comedian's back.");
        Assert.True(Moves.IsHarmful(result.Move.Move), Summary(result));
    }

    [Theory]
    [InlineData("year-1-ta-over-supporting-independent-writing", "They have, and they're so proud of their books. What I've noticed is that in the phonics check none of them could write a sentence on their own yet. I wonder if they're leaning on us for the tricky bits. What do you think?")]
    [InlineData("year8-weight-nickname-its-just-banter", "You might well have meant it as a joke, and I don't think you're a bad lad. But banter only works when both people are enjoying it. What makes you think Theo is?")]
    public async Task A_strong_exemplar_is_not_heard_as_sarcasm(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.False(Moves.IsHarmful(result.Move.Move), Summary(result));
        Assert.True(result.Judgement.Score >= 70, Summary(result));
    }

    // A shrug already heard as a dismissal, but barely (0.43), scored 38 to Liam: his teacher gave up on the name-calling.
    // Giving in is read from the words, whatever the classifier guessed.
    [Fact]
    public async Task A_shrug_already_heard_as_harmful_is_heard_as_giving_in()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync("year8-weight-nickname-its-just-banter", "Fine, whatever, call him what you like then.");
        Assert.Equal(Moves.Dismissal, result.Move.Move);
        Assert.True(result.Move.Confidence >= 0.9, Summary(result));
        Assert.True(result.Judgement.Score < 30, Summary(result));
    }

    // Agreeing with what they said, and a question that takes it further, is not a reply about something else (capped at 25 as
    // off-topic), and their word with a question about what it stands for is not an echo (capped at 25).
    [Theory]
    [InlineData("grade-7-science-mentor-feedback-after-lab", "You're so right about the safety briefing. What would you want to see me do differently next time?", 60)]
    [InlineData("year-1-teen-number-reversal-sixteen", "Ooh, sixteen. What does the one in sixteen mean?", 50)]
    [InlineData("grade-8-history-biased-source-is-useless", "You're so right that it's propaganda. What was it for, do you think?", 40)]
    public async Task Agreeing_or_asking_what_their_words_stand_for_is_not_capped(string slug, string reply, int atLeast)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.DoesNotContain(IntegrityFamilies.OffTopic, result.Judgement.Flags);
        Assert.DoesNotContain(IntegrityFamilies.Echo, result.Judgement.Flags);
        Assert.True(result.Judgement.Score >= atLeast, Summary(result));
    }
}
