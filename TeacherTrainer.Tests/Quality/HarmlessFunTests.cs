using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Unit;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// Whether it is "just banter" is what the nickname and changing-room scenarios turn on. A teacher who concludes it is harmless
/// fun has brushed the target's hurt aside, however kindly it is said; one who says it is not has named the harm. Both were
/// misread: the first kind scored 57 to 74, the second was heard as dismissal. The real engine, through the practice service's judge.
/// </summary>
public sealed class HarmlessFunTests
{
    private const string Liam = "year8-weight-nickname-its-just-banter";
    private const string Rhys = "year10-homophobic-changing-room-abuse-just-leave-it";

    // Scored 74 (neutral), 57 (validating), 63 (revoicing) and 25 (off-topic) before.
    [Theory]
    [InlineData("Okay, I suppose a nickname's harmless if he's laughing too.")]
    [InlineData("Sounds like it's all in good fun then.")]
    [InlineData("True, he laughs, so it's probably harmless.")]
    [InlineData("He seems fine with it, so it's harmless enough.")]
    public async Task Concluding_it_is_harmless_fun_is_a_brush_off(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, reply);
        var summary = $"{result.Judgement.Score} {result.Move.Move} {result.Move.Confidence} [{string.Join(",", result.Judgement.Flags)}]";
        Assert.Equal(Moves.Dismissal, result.Move.Move);
        Assert.DoesNotContain(IntegrityFamilies.OffTopic, result.Judgement.Flags);
        Assert.True(result.Judgement.Score < 30, summary);
    }

    // Heard as dismissal (0.76, 0.60, 0.65) and scored 32, 25 (off-topic) and 32.
    [Theory]
    [InlineData(Liam, "Even though he laughs along, I don't think it's just banter for Theo.")]
    [InlineData(Liam, "I don't think it's harmless. I think it's hurting him.")]
    [InlineData(Rhys, "That wasn't just a joke, Rhys. It was homophobic, and it matters.")]
    public async Task Saying_it_is_not_harmless_fun_names_the_harm(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        var summary = $"{result.Judgement.Score} {result.Move.Move} {result.Move.Confidence} [{string.Join(",", result.Judgement.Flags)}]";
        Assert.False(Moves.IsHarmful(result.Move.Move), summary);
        Assert.Empty(result.Judgement.Flags);
        Assert.True(result.Judgement.Score >= 50, summary);
    }

    // Asked, reported or conceded, the words "just banter" conclude nothing.
    [Theory]
    [InlineData("You say it's harmless. How would you know how Theo feels?")]
    [InlineData("Even if it's just a laugh to you, it has to stop.")]
    public async Task Their_view_asked_about_reported_or_conceded_is_not_the_teacher_s(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, reply);
        Assert.False(Moves.IsHarmful(result.Move.Move), $"{result.Move.Move} {result.Move.Confidence}");
        Assert.False(MoveClassifier.CallsItHarmless(reply));
    }
}
