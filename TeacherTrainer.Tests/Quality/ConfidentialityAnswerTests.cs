using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Unit;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// A plea for secrecy is answered honestly by saying who must be told and why, and such an answer has to take up the plea's own
/// words ("tell", "Mr Osei"). The judge heard those answers as threats, sneers, echoes or replies about something else, and let a
/// promise made on a condition through. Also here: a dare that is a threat, and a concern or a tiredness brushed aside in a
/// sentence. The real engine, through the practice service's judge.
/// </summary>
public sealed class ConfidentialityAnswerTests
{
    private const string Leah = "year10-self-harm-disclosure-secrecy-request";
    private const string Noor = "year6-bystander-reports-group-chat-bullying";
    private const string Amara = "year11-phone-refusal-mum-in-hospital";

    private static string Summary(EvaluationResult result)
        => $"{result.Judgement.Score} {result.Move.Move} {result.Move.Confidence} [{string.Join(",", result.Judgement.Flags)}]";

    // Scored 15 (a sneer and an echo), 25 (threat 0.37, off-topic) and 25 (off-topic) before.
    [Theory]
    [InlineData(Leah, "If you're not safe, I'll have to tell Mr Osei, and I'll be with you when I do.")]
    [InlineData(Leah, "If it's serious, I'll have to tell someone who can help, and I'll tell you first.")]
    [InlineData(Noor, "If it's serious, I'll need to pass it on, but I'll keep your name out of it as far as I can.")]
    public async Task Saying_honestly_who_must_be_told_answers_a_plea_for_secrecy(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.False(Moves.IsHarmful(result.Move.Move), Summary(result));
        Assert.Empty(result.Judgement.Flags);
        Assert.True(result.Judgement.Score >= 60, Summary(result));
    }

    // A condition on what they do, or telling as a sanction, is still a threat.
    [Theory]
    [InlineData(Amara, "If you do that again, I'll have to tell your mum.")]
    [InlineData(Amara, "If this is serious, I'll have to ring your mum, so you'd better hand it over.")]
    [InlineData(Leah, "If it's serious you'll get into trouble, so I'll have to tell your mum.")]
    public async Task Telling_as_a_sanction_is_still_a_threat(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.Equal(Moves.Threat, result.Move.Move);
        Assert.True(result.Judgement.Score < 30, Summary(result));
    }

    // The plea handed back with its pronouns turned is still an echo, however it speaks of telling.
    [Fact]
    public async Task The_plea_handed_back_is_still_an_echo()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Noor, "Can you tell I something? But I can't say it was you. Promise I won't say it was you, or they'll do it to you next.");
        Assert.Contains(IntegrityFamilies.Echo, result.Judgement.Flags);
    }

    // Scored 61: a promise of secrecy on a condition is a promise.
    [Fact]
    public async Task A_promise_of_secrecy_on_a_condition_crosses_the_red_line()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Leah, "If it's something silly, I won't need to tell anyone.");
        Assert.Contains("red-line:promise-secrecy", result.Judgement.Flags);
        Assert.True(result.Judgement.Score <= 25, Summary(result));
    }

    // Scored 61 (planning together, 0.67).
    [Fact]
    public async Task Daring_them_to_see_how_they_like_a_sanction_is_a_threat()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Amara, "Fine. Keep it, and see how you like a week in isolation.");
        Assert.Equal(Moves.Threat, result.Move.Move);
        Assert.True(result.Judgement.Score < 30, Summary(result));
    }

    // Scored 49, 53 and 46 before; the replies beside them grant the concern or ask about the tiredness, and keep their scores.
    [Theory]
    [InlineData("grade-7-science-mentor-feedback-after-lab", "It was fine. Nobody got hurt.", true)]
    [InlineData("grade-7-science-mentor-feedback-after-lab", "Nobody got hurt, so I think it went okay.", true)]
    [InlineData("grade7-withdrawn-student-parents-separating", "You should go to bed earlier then.", true)]
    [InlineData("grade-7-science-mentor-feedback-after-lab", "Luckily nobody got hurt, but you're right, it wasn't safe. What would you change first?", false)]
    [InlineData("grade-7-science-mentor-feedback-after-lab", "Nobody got hurt, but that was luck. I should have stopped them sooner.", false)]
    [InlineData("grade7-withdrawn-student-parents-separating", "You should get some sleep tonight. Is something keeping you up?", false)]
    public async Task A_concern_or_a_tiredness_brushed_aside_is_a_dismissal(string slug, string reply, bool brushedAside)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.Equal(brushedAside, MoveClassifier.Minimises(reply));
        if (brushedAside)
        {
            Assert.Equal(Moves.Dismissal, result.Move.Move);
            Assert.True(result.Judgement.Score < 30, Summary(result));
        }
        else
        {
            Assert.False(Moves.IsHarmful(result.Move.Move), Summary(result));
            Assert.True(result.Judgement.Score >= 50, Summary(result));
        }
    }
}
