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
