using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

public sealed class ClauseSplitterTests
{
    [Fact]
    public void Splits_sentences_and_keeps_offsets()
    {
        const string text = "That sounds hard.  What happened next? Let's sort it out together!";
        var clauses = ClauseSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length)).ToList();
        Assert.Equal(["That sounds hard.", "What happened next?", "Let's sort it out together!"], clauses);
    }

    [Fact]
    public void Cuts_long_sentences_at_their_joints()
    {
        const string text = "I know you worked really hard on this model all week and wanted to show your mum, but we have to pack the tables away now because the hall is needed.";
        var clauses = ClauseSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length)).ToList();
        Assert.True(clauses.Count >= 2);
        Assert.StartsWith("I know you worked", clauses[0]);
        Assert.Contains(clauses, c => c.StartsWith("but we have to pack", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_without_punctuation_is_one_clause()
        => Assert.Single(ClauseSplitter.Split("ok fine whatever you say"));

    [Fact]
    public void Empty_and_blank_text_have_no_clauses()
    {
        Assert.Empty(ClauseSplitter.Split(""));
        Assert.Empty(ClauseSplitter.Split("   "));
    }

    [Theory]
    [InlineData("Even if he laughs, the name has to stop.", "the name has to stop.")]
    [InlineData("Okay. Even though I'm not meant to, I'll keep it between us.", "I'll keep it between us.")]
    [InlineData("Although you want me to leave it, I have to pass this on so you're safe.", "I have to pass this on so you're safe.")]
    [InlineData("Whether or not he laughs, I need you to stop calling him that.", "I need you to stop calling him that.")]
    [InlineData("Though it's hard, we can try again tomorrow.", "we can try again tomorrow.")]
    public void A_clause_that_opens_by_conceding_asserts_what_follows(string text, string asserted)
    {
        var clause = ClauseSplitter.Split(text).Last();
        var part = ClauseSplitter.AssertedPart(text, clause);
        Assert.NotNull(part);
        Assert.Equal(asserted, text.Substring(part.Value.Start, part.Value.Length));
    }

    [Theory]
    [InlineData("He laughs, but the name has to stop.")]
    [InlineData("I know it's hard even if you don't say so.")]
    [InlineData("Even if you're sad, okay.")]
    [InlineData("Even if it hurts.")]
    public void A_clause_that_concedes_nothing_first_has_no_asserted_part(string text)
        => Assert.All(ClauseSplitter.Split(text), c => Assert.Null(ClauseSplitter.AssertedPart(text, c)));
}

public sealed class FeedbackWriterTests
{
    [Fact]
    public void Uptake_suggestions_name_the_speakers_key_words_not_their_whole_line()
    {
        var suggestion = TeacherTrainer.ApiService.Evaluation.FeedbackWriter.Suggest("uptake", "Uptake", "", null,
            "Maybe. But Mrs Patel was going to put it in the box. I saw her.", "student");
        Assert.Contains("“Maybe”, “Mrs”, “Patel”", suggestion);
        Assert.DoesNotContain("I saw her", suggestion);
    }
}
