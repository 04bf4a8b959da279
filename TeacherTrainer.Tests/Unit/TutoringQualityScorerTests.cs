using System.Text.Json;
using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// "Guides the learner" (the general rubric's learned criterion) and the wording it weighs: the words and word pairs
/// of a reply, read the same way when fitting and at run time, and named back to the trainee only in the reply's own
/// words. Embeddings come from the real in-process encoder; the model is the shipped one.
/// </summary>
public sealed class TutoringQualityScorerTests
{
    private static readonly MiniLmEncoder Encoder = new(workers: 1);

    private const string Problem = "Mia has 3 bags with 8 marbles in each bag. She gives away 5 marbles. How many marbles does she have left?";
    private const string Student = "3 + 8 = 11, and 11 - 5 = 6. She has 6 left.";

    [Fact]
    public void Word_pairs_stay_inside_a_sentence_and_numbers_are_folded()
    {
        var terms = ReplyWording.Terms("Great job! Now 3 groups of 8 is 24.");
        Assert.Contains("great job", terms.Keys);
        Assert.DoesNotContain("job now", terms.Keys);
        Assert.Contains("now #", terms.Keys);
        Assert.Contains("is #", terms.Keys);
        Assert.Equal(3, terms["#"].Count);
        Assert.DoesNotContain("24", terms.Keys);
    }

    [Theory]
    [InlineData("#", false)]
    [InlineData("to", false)]
    [InlineData("# is", false)]
    [InlineData("you should", false)]
    [InlineData("how many", true)]
    [InlineData("remember", true)]
    [InlineData("great job", true)]
    public void Only_terms_with_a_meaningful_word_are_named(string term, bool nameable)
        => Assert.Equal(nameable, ReplyWording.IsNameable(term));

    [Fact]
    public void A_quote_takes_the_whole_hyphenated_word()
    {
        const string reply = "Let's double-check the first step.";
        var term = ReplyWording.Terms(reply)["let's double"];
        Assert.Equal("Let's double-check", ReplyWording.Quote(reply, term.Start, term.End));
    }

    [Fact]
    public void The_wording_vector_has_unit_length_over_known_terms()
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal) { ["remember"] = 0, ["try"] = 1, ["unused"] = 2 };
        var vector = ReplyWording.Vector("Remember to try, and try again.", vocabulary, [1.5, 1.2, 3.0]);
        Assert.Equal([0, 1], vector.Select(e => e.Index));
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(e => e.Weight * e.Weight)), 6);
        // "try" is said twice: 1 + ln 2 times its idf, against "remember" once.
        Assert.Equal((1 + Math.Log(2)) * 1.2 / 1.5, vector[1].Weight / vector[0].Weight, 6);
    }

    [Fact]
    public void A_reply_that_guides_outranks_praise_and_a_given_answer()
    {
        var guiding = Score("You added 3 and 8, but there are 3 bags of 8. What do 3 groups of 8 make? Try that step again.");
        var praise = Score("Great job! Now let's move on to the next problem.");
        var answer = Score("The answer is 19 because 3 x 8 = 24 and 24 - 5 = 19.");
        Assert.True(guiding.Score > praise.Score + 20, $"guiding {guiding.Score} against praise {praise.Score}");
        Assert.True(guiding.Score > answer.Score + 20, $"guiding {guiding.Score} against the answer {answer.Score}");
        Assert.True(guiding.Earned);
        Assert.False(praise.Earned);
    }

    [Theory]
    [InlineData("Great job! Now let's move on to the next problem.")]
    [InlineData("Let's double-check the first step together. How many marbles are in 3 bags?")]
    [InlineData("Not quite. Look at the first step again: what operation tells you how many marbles are in 3 bags?")]
    [InlineData("Good try! Can you explain?")]
    public void Wording_is_quoted_in_the_reply_s_own_words(string reply)
    {
        var result = Score(reply);
        foreach (Match quoted in Regex.Matches(result.Explanation, "“([^”]+)”"))
            Assert.Contains(quoted.Groups[1].Value, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("“#”", result.Explanation, StringComparison.Ordinal);
        if (result.Evidence is { } span) Assert.Equal(span.Text, reply.Substring(span.Start, span.Length));
    }

    [Fact]
    public void A_model_whose_wording_lists_differ_in_length_is_refused()
    {
        var shipped = TutoringQualityScorer.Model;
        var broken = shipped with { Wording = new WordingModel(["remember", "try"], [1.0], [0.1, 0.2]) };
        var path = Path.Combine(Path.GetTempPath(), $"tt-tutoring-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(broken, TutoringQualityScorer.JsonOptions));
            Assert.Throws<InvalidDataException>(() => TutoringQualityScorer.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_shipped_model_weighs_wording_that_recurs_across_problems()
    {
        var wording = TutoringQualityScorer.Model.Wording;
        Assert.NotNull(wording);
        Assert.Equal(wording.Terms.Count, wording.Weights.Count);
        Assert.True(wording.Terms.Count > 500, $"{wording.Terms.Count} terms");
        Assert.Equal(wording.Terms.Order(StringComparer.Ordinal), wording.Terms);
    }

    private static TutoringResult Score(string reply)
    {
        var vectors = Encoder.Encode([reply, Student, Problem]);
        ContextTurn[] context = [new("teacher", Problem), new("student", Student)];
        return TutoringQualityScorer.Score(context, reply, vectors[0], vectors[1], vectors[2]);
    }
}
