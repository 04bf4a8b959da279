using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// The integrity detectors that read words alone (sneers, not caring, lists of rubric words, padding),
/// and how a finding caps a judgement. The families that need embeddings are measured end to end by
/// <see cref="RobustnessSuiteTests"/>.
/// </summary>
public sealed class ReplyIntegrityTests
{
    private static readonly ContextTurn[] Context = [new("parent", "Kayla was crying over this box thing again. I showed her the real way.")];

    /// <summary>A reply with its clauses, every vector zero: only the wording can set a detector off.</summary>
    private static EncodedReply Encode(string text)
        => new(text, new float[MiniLmEncoder.Dimensions],
            ClauseSplitter.Split(text).Select(s => new EncodedClause(s, text.Substring(s.Start, s.Length), new float[MiniLmEncoder.Dimensions])).ToList());

    private static IReadOnlyList<string> Families(string text)
        => ReplyIntegrity.Inspect(Context, Encode(text), null, [], null).Findings.Select(f => f.Family).ToList();

    [Theory]
    [InlineData("Thanks for coming in straight off your shift. Honestly, some parents.")]
    [InlineData("I can see she was upset. Not that you'd understand.")]
    [InlineData("Let's look at both methods together. You're being ridiculous.")]
    [InlineData("So it's my fault she cried, is it?")]
    [InlineData("I can hear how hard last night was. What happened at the table? You're a joke, honestly.")]
    [InlineData("Thanks for sharing. You are such a waste of time.")]
    public void A_sneer_is_found_wherever_it_sits(string reply) => Assert.Contains(IntegrityFamilies.Sneer, Families(reply));

    [Theory]
    [InlineData("Thank you for coming in straight off your shift, Andre. I can hear how hard it is to see Kayla in tears, and you clearly know your maths. Can you tell me what happened at the table last night?")]
    [InlineData("You're not stupid, and nobody who does maths in his head like that is.")]
    [InlineData("She told me the box method makes her feel stupid; that's what I want to change.")]
    [InlineData("It's a big deal for her, and for you.")]
    [InlineData("I'll deal with it after the lesson.")]
    [InlineData("Hearing he's calling it the 'thick set' worries me too, because it isn't true.")]
    [InlineData("Was that a joke about Pickles, or are you telling me something true?")]
    public void Sincere_replies_are_left_alone(string reply) => Assert.Empty(Families(reply));

    [Fact]
    public void Not_caring_is_negated_content()
        => Assert.Contains(IntegrityFamilies.NegatedContent, Families("I don't care if anyone breaks it. Put it in the box."));

    [Fact]
    public void A_list_of_rubric_words_is_stuffing()
        => Assert.Contains(IntegrityFamilies.Stuffing, Families("Let's try her way first. Empathy, validation, rapport, open-ended questioning."));

    [Fact]
    public void Saying_it_twice_is_padding()
        => Assert.Contains(IntegrityFamilies.Padding, Families("Let's try both methods side by side tonight. Let's try both methods side by side tonight."));

    [Fact]
    public void A_finding_caps_the_judgement_and_says_why()
    {
        var judgement = new Judgement(80, JudgementBands.For(80),
            [new("listen-first", "Listens before defending", 85, "Thanks", "Acknowledges his effort.", 0.5), new("plan", "Agrees a plan", 75, null, "A plan.", 0.5)],
            [], "Keep going.");
        var report = ReplyIntegrity.Inspect(Context, Encode("Thanks for coming in. Honestly, some parents."), null, [], null);
        var capped = ReplyIntegrity.Apply(judgement, report);
        Assert.Equal(ReplyIntegrity.SneerOverallCap, capped.Score);
        Assert.Equal(Band.Poor, capped.Band);
        Assert.All(capped.Criteria, c => Assert.True(c.Score <= ReplyIntegrity.SneerCriterionCap && c.Effect == "cost" && c.Evidence == "Honestly, some parents."));
        Assert.Contains(capped.Notes, n => n.Contains("sneers at the parent", StringComparison.Ordinal));
        Assert.Same(judgement, ReplyIntegrity.Apply(judgement, IntegrityReport.Clean));
    }
}
