using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.Tests.Unit;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// A warning that is itself hostile ("Stop being silly, your pen is fine.", a dismissal) is near a kind reply about the
/// same thing by its topic, not its stance. Read in whole conversations: "Let's find you a new pen. Here you go." scored
/// 24 against that warning, and "I'm sorry, that wasn't fair on you, giving you a sheet that looks different in front of
/// everyone." 27 against "Don't be so sensitive, nobody cares which sheet you've got.", each quoting the warning as what
/// it resembled. A reply that takes the warning's stance is still read as the warning. The real engine, through the
/// practice service's judge.
/// </summary>
public sealed class WarningStanceTests
{
    private static async Task<Judgement> JudgeOpeningAsync(string slug, string reply)
        => (await PersonaSimulator.JudgeOpeningAsync(slug, reply)).Judgement;

    [Theory]
    [InlineData("year-1-pupil-copies-friends-whiteboard", "Let's find you a new pen. Here you go.", "your pen is fine")]
    [InlineData("year5-dyslexic-pupil-rejects-adapted-history-text", "I'm sorry, that wasn't fair on you, giving you a sheet that looks different in front of everyone.", "Don't be so sensitive")]
    // Naming his feeling is the scenario's first goal; the warning is dismissal 0.45, threat 0.11 and sarcasm 0.03, and the
    // reply scored 34 as what it resembled ("Leo" and a short sentence about his feelings).
    [InlineData("grade1-pushed-classmate-off-tire-swing", "You sound really cross, Leo. Waiting that long is so hard.", "Stop crying and listen")]
    // Granting the TA that she means to help was heard as partly sarcasm and dismissal (0.35 together), so "You're basically
    // doing their work for them." was quoted as what it cost, and the reply scored 28.
    [InlineData("year-1-ta-over-supporting-independent-writing", "I know you're only trying to help them. I still need them to do the writing themselves.", "doing their work for them")]
    public async Task A_kind_reply_is_not_read_as_a_hostile_warning_about_the_same_thing(string slug, string reply, string warning)
    {
        var judgement = await JudgeOpeningAsync(slug, reply);
        Assert.DoesNotContain(judgement.Criteria, c => c.Effect == "cost" && c.Explanation.Contains(warning, StringComparison.Ordinal));
        Assert.True(judgement.Score >= 35, $"{judgement.Score}: {string.Join(" | ", judgement.Criteria.Select(c => $"{c.Key} {c.Score} {c.Effect}"))}");
    }

    // Owning the repeat and offering something harder is what "depth, not more" asks first; it scored 41, shown as close to
    // "Color in your diagram neatly while you wait." by its "diagram". The criterion's indicators now include an offer of
    // harder thinking, as its own 4-rated exemplar makes ("Sounds like you're ready for something harder...").
    [Fact]
    public async Task Offering_Lucia_something_harder_is_not_read_as_busywork()
    {
        var judgement = await JudgeOpeningAsync("grade7-gifted-student-finished-early-reading-under-desk",
            "You're right, it is the same diagram. That's on me. Can I give you something harder?");
        Assert.DoesNotContain(judgement.Criteria, c => c.Effect == "cost" && c.Explanation.Contains("Color in your diagram", StringComparison.Ordinal));
        Assert.Contains(judgement.Criteria, c => c.Key == "depth-not-more" && c.Effect == "earned");
        Assert.True(judgement.Score >= 50, $"{judgement.Score}");
    }

    [Theory]
    [InlineData("year-1-pupil-copies-friends-whiteboard", "Stop being silly, Zainab, your pen works fine.")]
    [InlineData("year-1-pupil-copies-friends-whiteboard", "Your pen is fine. Stop making excuses and get on with it.")]
    [InlineData("year5-dyslexic-pupil-rejects-adapted-history-text", "Don't be so sensitive, Jayden, nobody is looking at your sheet.")]
    [InlineData("year5-dyslexic-pupil-rejects-adapted-history-text", "Nobody cares which sheet you've got, just get on with it.")]
    [InlineData("grade1-pushed-classmate-off-tire-swing", "Stop crying and listen to me, Leo. You don't push people.")]
    public async Task A_reply_that_takes_the_warnings_stance_is_still_read_as_the_warning(string slug, string reply)
    {
        var judgement = await JudgeOpeningAsync(slug, reply);
        Assert.Contains(judgement.Criteria, c => c.Effect == "cost");
        Assert.True(judgement.Score < 20, $"{judgement.Score}");
    }
}
