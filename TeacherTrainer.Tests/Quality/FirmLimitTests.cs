using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Unit;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// A firm limit said kindly is what several scenarios ask for first, and it is not a brush-off. Read in a whole conversation:
/// to Liam, "It has to stop today, Liam. You're not a bad lad, but that name is hurting him." was heard as dismissal (0.35)
/// and scored 26, with "impact, not intent" at 8 although "that name is hurting him" is the impact. The real engine, through
/// the practice service's judge.
/// </summary>
public sealed class FirmLimitTests
{
    private const string Liam = "year8-weight-nickname-its-just-banter";

    [Fact]
    public async Task A_limit_that_names_the_hurt_is_heard_as_a_limit_and_credited_with_the_impact()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, "It has to stop today, Liam. You're not a bad lad, but that name is hurting him.");
        var judgement = result.Judgement;
        var summary = $"{judgement.Score} {result.Move.Move}: {string.Join(" | ", judgement.Criteria.Select(c => $"{c.Key} {c.Score} {c.Effect}"))}";
        Assert.Equal(Moves.SetLimit, result.Move.Move);
        Assert.Contains(judgement.Criteria, c => c.Key == "impact-not-intent" && c.Effect == "earned" && c.Evidence == "You're not a bad lad, but that name is hurting him.");
        Assert.True(judgement.Score >= 40, summary);
        // Its clause "You're not a bad lad, but that name is hurting him." reassures him (it was dismissal 0.25 alone), so the
        // reply is kind and a hostile warning near it by topic is not quoted against it.
        Assert.DoesNotContain(judgement.Criteria, c => c.Explanation.Contains("such a bully", StringComparison.Ordinal));
    }

    // The class's rule, with the hurt as its reason, is how a limit is said to a six-year-old: "We don't push, Leo. Pushing
    // hurts people." was dismissal (0.90) and scored 16 once a harmful reading stopped earning by topic.
    [Theory]
    [InlineData("We don't push, Leo. Pushing hurts people.")]
    [InlineData("I get it, but we don't push. Pushing hurts people.")]
    public async Task A_class_rule_for_what_was_done_is_a_limit(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync("grade1-pushed-classmate-off-tire-swing", reply);
        Assert.Equal(Moves.SetLimit, result.Move.Move);
        Assert.True(result.Judgement.Score >= 40, $"{result.Judgement.Score}");
    }

    [Theory]
    [InlineData("This has to stop. Honestly, get over it, Liam.")]
    [InlineData("This has to stop. I'm sick of hearing about it.")]
    public async Task A_limit_with_a_brush_off_beside_it_is_still_a_brush_off(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, reply);
        Assert.True(Moves.IsHarmful(result.Move.Move), $"{result.Move.Move} {result.Move.Confidence}");
        Assert.True(result.Judgement.Score < 30, $"{result.Judgement.Score}");
    }
}
