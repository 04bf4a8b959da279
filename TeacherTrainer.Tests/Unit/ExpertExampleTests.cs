using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>The words a trainee reads: an expert's reply that answers the same moment, shown once.</summary>
public sealed class ExpertExampleTests
{
    private static ExemplarModel Exemplar(string text, int rating, string? after) => new(text, rating, "why", after, new float[384]);

    private static readonly ExemplarModel Opening = Exemplar("I can hear how upsetting last night was. What happened at the table?", 5, null);
    private static readonly ExemplarModel AfterTears = Exemplar("She won't be in trouble, I promise. Shall we look at the method together on Thursday?", 5,
        "She was in tears at nine o'clock and I couldn't help her because nobody taught me this method.");
    private static readonly ExemplarModel Poor = Exemplar("Kayla needs to try harder.", 1, null);

    private static readonly (ExemplarModel, double)[] Nearest = [(Poor, 0.9), (Opening, 0.8), (AfterTears, 0.7)];

    [Fact]
    public void The_expert_reply_answers_the_line_the_trainee_is_answering()
    {
        var later = FeedbackWriter.ExpertExample(Nearest,
            "She was in tears at nine o'clock and I couldn't help her because nobody taught me this method.", firstReply: false);
        Assert.Same(AfterTears, later);
        // The persona's words differ a little (a model wrote them): the same moment is still found by its words.
        var reworded = FeedbackWriter.ExpertExample(Nearest, "She was in tears at nine and I couldn't help, nobody taught me this method!", firstReply: false);
        Assert.Same(AfterTears, reworded);
        Assert.Same(Opening, FeedbackWriter.ExpertExample(Nearest, "Why is my daughter crying over maths?", firstReply: true));
    }

    [Fact]
    public void Without_an_answer_to_this_moment_the_nearest_strong_reply_is_shown_and_never_a_poor_one()
    {
        var chosen = FeedbackWriter.ExpertExample(Nearest, "Something nobody wrote an exemplar for.", firstReply: false);
        Assert.Same(Opening, chosen);
        Assert.Null(FeedbackWriter.ExpertExample([(Poor, 0.9)], "Anything.", firstReply: false));
    }
}

/// <summary>The judge remembers what the trainee already said.</summary>
public sealed class ConversationMemoryTests
{
    private static readonly ContextTurn[] Conversation =
    [
        new("parent", "She was in tears again last night."),
        new("teacher", "I can hear how hard last night was for you both. What happened at the table?"),
        new("parent", "She just kept saying she doesn't get the boxes."),
    ];

    [Fact]
    public void Saying_the_same_again_is_recognised_and_a_new_reply_is_not()
    {
        var repeat = ConversationMemory.RepeatedTurn(Conversation, "I can hear how hard last night was for both of you. What happened at the table?");
        Assert.NotNull(repeat);
        Assert.Equal(1, repeat.Value.Turn);
        Assert.Null(ConversationMemory.RepeatedTurn(Conversation, "The boxes are the area model: shall I show you how we use them in class on Thursday?"));
        Assert.Null(ConversationMemory.RepeatedTurn(Conversation, "Okay."));
    }
}

/// <summary>The words a suggestion asks the trainee to pick up: the ones that carry the idea.</summary>
public sealed class KeyWordsTests
{
    [Fact]
    public void Key_words_carry_the_idea_not_the_framing_or_the_hurt()
    {
        var words = FeedbackWriter.KeyWords("Look, I'll be quick, I just got off a ten-hour shift. Kayla was crying over this box thing again. "
            + "I can do multiplication in my head, I'm not stupid, but I can't help her with this.");
        Assert.Equal(3, words.Count);
        Assert.DoesNotContain("Look", words);
        Assert.DoesNotContain("quick", words);
        Assert.DoesNotContain("stupid", words);
        Assert.Contains("multiplication", words);
        Assert.Contains("crying", words);
    }
}
