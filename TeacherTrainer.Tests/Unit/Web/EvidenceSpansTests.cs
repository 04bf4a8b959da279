using TeacherTrainer.Web.Services.Api;
using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Tests.Unit.Web;

public sealed class EvidenceSpansTests
{
    [Fact]
    public void Evidence_that_earned_and_cost_points_is_cut_out_of_the_reply_at_its_offsets()
    {
        var segments = EvidenceSpans.Split(WebSamples.Reply, WebSamples.Judgement().Criteria);

        Assert.Equal(WebSamples.Reply, string.Concat(segments.Select(s => s.Text)));
        Assert.Collection(segments,
            s => Assert.Equal(("I can see you're upset", "earned"), (s.Text, s.Effect)),
            s => Assert.Equal((". Sit down now ", (string?)null), (s.Text, s.Effect)),
            s => Assert.Equal(("or you'll lose your break", "cost"), (s.Text, s.Effect)),
            s => Assert.Equal((".", (string?)null), (s.Text, s.Effect)));
        Assert.Equal(["Acknowledges feelings"], segments[0].Criteria);
    }

    [Fact]
    public void Evidence_at_a_wrong_offset_is_found_by_its_words_and_evidence_not_in_the_reply_is_left_out()
    {
        var criteria = new[]
        {
            new CriterionJudgement("a", "A", 70, "Sit down now", "", 0.5, 99, "earned"),
            new CriterionJudgement("b", "B", 20, "words never said", "", 0.5, 0, "cost"),
        };

        var segments = EvidenceSpans.Split(WebSamples.Reply, criteria);

        Assert.Equal(WebSamples.Reply, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal("Sit down now", Assert.Single(segments, s => s.Effect is not null).Text);
    }

    [Fact]
    public void The_same_words_earning_one_criterion_and_costing_another_are_marked_once_as_mixed_and_overlaps_do_not_repeat_text()
    {
        const string text = "Calm down and listen to me now.";
        var criteria = new[]
        {
            new CriterionJudgement("a", "Tone", 30, "Calm down", "", 0.3, 0, "cost"),
            new CriterionJudgement("b", "Clarity", 80, "Calm down", "", 0.3, 0, "earned"),
            new CriterionJudgement("c", "Listening", 60, "down and listen", "", 0.4, 5, "earned"),
        };

        var segments = EvidenceSpans.Split(text, criteria);

        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(("Calm down", "mixed"), (segments[0].Text, segments[0].Effect));
        Assert.Equal(["Tone", "Clarity"], segments[0].Criteria);
        Assert.Equal((" and listen", "earned"), (segments[1].Text, segments[1].Effect));
    }
}
