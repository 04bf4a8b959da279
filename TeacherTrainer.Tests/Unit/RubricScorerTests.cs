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
}
