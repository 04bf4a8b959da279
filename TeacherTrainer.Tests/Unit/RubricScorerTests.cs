using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// What a criterion shows as having cost it. A clause that does another good thing ("You're really sad today, and
/// that's okay." names the feeling) is never shown as working against a criterion whose warning merely shares its
/// words ("Let's not talk about sad things right now."). Vectors are set by hand so only the rule decides.
/// </summary>
public sealed class RubricScorerTests
{
    private static float[] Axis(params (int Index, float Value)[] parts)
    {
        var v = new float[MiniLmEncoder.Dimensions];
        foreach (var (index, value) in parts) v[index] = value;
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static readonly CriterionModel ListenToMemories = new(
        new RubricCriterion
        {
            Key = "listen-to-memories", Name = "Invite and listen to memories", Description = "Invites memories.",
            PositiveIndicators = ["Would you like to tell me about Pickles?"], NegativeIndicators = ["Let's not talk about sad things right now."], Weight = 1
        },
        [Axis((0, 1))], [Axis((1, 1))]);

    private static readonly CriterionModel NameTheFeeling = new(
        new RubricCriterion
        {
            Key = "name-the-feeling", Name = "Name and allow the feeling", Description = "Names the feeling.",
            PositiveIndicators = ["It's okay to be sad."], Weight = 1
        },
        [Axis((2, 1))], []);

    private static readonly MoveClassification Neutral = new(Moves.Neutral, 1, Moves.All.ToDictionary(m => m, m => m == Moves.Neutral ? 1.0 : 0.0));

    private static EncodedReply Reply(float[] vector) => new("You're really sad today, and that's okay.", vector, []);

    [Fact]
    public void A_clause_closer_to_another_good_move_is_not_shown_as_the_cost()
    {
        // Close to the warning (0.6) but closer still to naming the feeling (0.8).
        var reply = Reply(Axis((1, 0.6f), (2, 0.8f)));
        var result = RubricScorer.Score(ListenToMemories, reply, Neutral, 0, rubric: [ListenToMemories, NameTheFeeling]);
        Assert.True(result.Score < 50);
        Assert.NotEqual("cost", result.Effect);
        Assert.Null(result.Evidence);
    }

    [Fact]
    public void A_clause_that_is_mostly_the_warning_is_shown_as_the_cost()
    {
        // Close to the warning (0.8), less to any good move (0.6).
        var reply = Reply(Axis((1, 0.8f), (2, 0.6f)));
        var result = RubricScorer.Score(ListenToMemories, reply, Neutral, 0, rubric: [ListenToMemories, NameTheFeeling]);
        Assert.Equal("cost", result.Effect);
        Assert.Equal("Let's not talk about sad things right now.", result.MatchedIndicator);
    }

    [Fact]
    public void The_score_does_not_depend_on_the_rest_of_the_rubric()
    {
        var reply = Reply(Axis((1, 0.6f), (2, 0.8f)));
        var alone = RubricScorer.Score(ListenToMemories, reply, Neutral, 0);
        var withRubric = RubricScorer.Score(ListenToMemories, reply, Neutral, 0, rubric: [ListenToMemories, NameTheFeeling]);
        Assert.Equal(alone.Score, withRubric.Score);
        Assert.Equal("cost", alone.Effect);
    }

    // A clause that rules out what the warning says is not the warning: "I won't ring your mum without talking to you
    // first." sat near "I'm ringing your mum tonight" and scored 16. It is pulled to no sign either way, never below; a
    // condition ("If it isn't done our way, it won't get credit.") is still read as the warning.
    private static readonly CriterionModel NoThreats = new(
        new RubricCriterion
        {
            Key = "no-threats", Name = "No threats", Description = "Never threatens.",
            PositiveIndicators = ["It's your decision, and I'll back you."], NegativeIndicators = ["I'm ringing your mum tonight."], Weight = 1
        },
        [Axis((0, 1))], [Axis((1, 1))]);

    [Theory]
    [InlineData("I won't ring your mum without talking to you first.", false)]
    [InlineData("If it isn't done our way, I won't hesitate to ring your mum.", true)]
    [InlineData("I'm ringing your mum tonight, you know.", true)]
    public void A_clause_that_rules_the_warning_out_is_not_the_warning(string text, bool readAsTheWarning)
    {
        // Near the warning (0.8), less near the good indicator (0.6): the words are the warning's, the polarity decides.
        var reply = new EncodedReply(text, Axis((1, 0.8f), (0, 0.6f)), []);
        var result = RubricScorer.Score(NoThreats, reply, Neutral, 0);
        Assert.Equal(readAsTheWarning, result.Score < 45);
        Assert.Equal(readAsTheWarning, result.IndicatorMargin < 0);
    }

    // Declining to promise is not the promise: "I can't promise nobody will ever know, but I'll keep your name out of it as far
    // as I can." was shown as close to "Of course, I promise I won't tell anyone." (both read as negated, because the promise's
    // own content is). A promise made, even with "won't" in it, is still the warning.
    private static readonly CriterionModel HonestConfidentiality = new(
        new RubricCriterion
        {
            Key = "honest-confidentiality", Name = "Honest about confidentiality", Description = "Does not promise secrecy.",
            PositiveIndicators = ["I will have to tell Mr Fletcher, but I'll be careful with your name."],
            NegativeIndicators = ["Of course, I promise I won't tell anyone."], Weight = 1
        },
        [Axis((0, 1))], [Axis((1, 1))]);

    [Theory]
    [InlineData("I can't promise nobody will ever know.", false)]
    [InlineData("I won't make that promise, because I have to pass it on.", false)]
    [InlineData("I'm not able to promise that.", false)]
    [InlineData("Of course I promise, I won't tell a soul.", true)]
    [InlineData("I promise nobody will ever know.", true)]
    // Committing to nothing is not the promise either: "Of course you can tell me." invites Noor to speak, and cost the
    // criterion 23 for its "Of course" and "tell". Any word of keeping, telling or who will know keeps the warning's reading.
    [InlineData("Of course you can tell me.", false)]
    [InlineData("I'm really glad you came to me.", false)]
    [InlineData("Your secret's safe with me.", true)]
    [InlineData("Of course, it stays between us.", true)]
    [InlineData("Nothing you say here will leave this room.", true)]
    [InlineData("Okay, I'll pretend I didn't hear anything.", true)]
    public void Declining_to_promise_is_not_the_promise(string text, bool readAsTheWarning)
    {
        var reply = new EncodedReply(text, Axis((1, 0.8f), (0, 0.6f)), []);
        var result = RubricScorer.Score(HonestConfidentiality, reply, Neutral, 0, rubric: [HonestConfidentiality]);
        Assert.Equal(readAsTheWarning, result.IndicatorMargin < 0);
        Assert.Equal(readAsTheWarning, result.Effect == "cost");
    }

    // Refusing the promise is the good side of the warning, not merely no sign: "I can't promise nobody will ever know, but I'll
    // keep your name out of it..." had 48 on being honest about confidentiality, its refusal cancelled by the promise it is near
    // in words. It leans to the good side by half a step of the indicator scale, no more: a bare "I can't promise anything." is
    // honest but explains nothing. A clause that only commits to nothing stays at no sign.
    [Theory]
    [InlineData("I can't promise nobody will ever know.", 0.5)]
    [InlineData("I'm not able to promise that.", 0.5)]
    [InlineData("Of course you can tell me.", 0.0)]
    public void Refusing_the_promise_leans_to_the_good_side_by_half_a_step(string text, double steps)
    {
        var reply = new EncodedReply(text, Axis((1, 0.8f), (0, 0.6f)), []);
        var result = RubricScorer.Score(HonestConfidentiality, reply, Neutral, 0, rubric: [HonestConfidentiality]);
        Assert.Equal(steps * RubricWeights.Default.IndicatorScale, result.IndicatorMargin, 3);
    }
}
