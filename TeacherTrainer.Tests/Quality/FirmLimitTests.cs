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

    // Granting him good intent before the limit is how a restorative conversation keeps the boy onside. These were heard as
    // dismissal (the first two, 21 each) or capped at 25 as not answering his "It's banter" (the last three).
    [Theory]
    [InlineData("I'm not saying you're a bad lad. But that has to end now.")]
    [InlineData("Maybe you don't mean any harm. It still can't carry on.")]
    [InlineData("I don't think you're being cruel on purpose. The name still has to stop.")]
    [InlineData("I believe you don't mean it nastily. I still need it to stop today.")]
    [InlineData("I hear you. It still has to stop.")]
    public async Task A_limit_that_grants_him_good_intent_is_a_limit_that_answers_him(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, reply);
        var summary = $"{result.Judgement.Score} {result.Move.Move} {result.Move.Confidence} [{string.Join(",", result.Judgement.Flags)}]";
        Assert.False(Moves.IsHarmful(result.Move.Move), summary);
        Assert.DoesNotContain(IntegrityFamilies.OffTopic, result.Judgement.Flags);
        Assert.True(result.Judgement.Score >= 45, summary);
    }

    // Her words with the limit on what she did are the teacher's judgement, not an echo (capped at 25 as one).
    [Fact]
    public async Task Her_words_with_a_limit_on_what_she_did_are_not_an_echo()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync("grade1-pushed-classmate-off-tire-swing", "I know you wanted a turn. Pushing still isn't okay.");
        Assert.DoesNotContain(IntegrityFamilies.Echo, result.Judgement.Flags);
        Assert.Equal(Moves.SetLimit, result.Move.Move);
        Assert.True(result.Judgement.Score >= 45, $"{result.Judgement.Score}");
    }

    // A limit on something nobody raised still answers nothing, and "I'm sure you mean well" is how a brush-off opens.
    [Theory]
    [InlineData(Liam, "Put your phone away, please.")]
    [InlineData("year6-bystander-reports-group-chat-bullying", "The tapping has to stop.")]
    // Near a warning ("Can you show me the messages on your phone right now?", 0.43) by its phone alone: it scored 60.
    [InlineData("year6-bystander-reports-group-chat-bullying", "Put your phone away, please.")]
    public async Task A_limit_on_something_nobody_raised_is_still_off_topic(string slug, string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(slug, reply);
        Assert.Contains(IntegrityFamilies.OffTopic, result.Judgement.Flags);
    }

    [Theory]
    [InlineData("This has to stop. Honestly, get over it, Liam.")]
    [InlineData("This has to stop. I'm sick of hearing about it.")]
    [InlineData("I'm sure you mean well, Liam, but you're making a fuss about nothing.")]
    // Dropping the matter: heard as explaining (0.57) and scored 61.
    [InlineData("I don't think you're a bad lad, so let's just forget it.")]
    [InlineData("This moaning has to stop, Liam.")]
    public async Task A_limit_with_a_brush_off_beside_it_is_still_a_brush_off(string reply)
    {
        var result = await PersonaSimulator.JudgeOpeningAsync(Liam, reply);
        Assert.True(Moves.IsHarmful(result.Move.Move), $"{result.Move.Move} {result.Move.Confidence}");
        Assert.True(result.Judgement.Score < 30, $"{result.Judgement.Score}");
    }

    // A limit put on a feeling brushes the child off: heard as setting a limit (0.93).
    [Fact]
    public async Task A_limit_on_a_grieving_child_s_crying_is_a_brush_off()
    {
        var result = await PersonaSimulator.JudgeOpeningAsync("grade1-dog-died-morning-tears", "The crying has to stop now, sweetheart.");
        Assert.Equal(Moves.Dismissal, result.Move.Move);
        Assert.True(result.Judgement.Score < 30, $"{result.Judgement.Score}");
    }
}
