namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// What the trainee already did in this conversation, as the judge needs it: which reply (if any)
/// the new one repeats. Saying the same thing again earns nothing new: the person in front of you
/// has heard it. Lexical (content-word stems), so it is explainable and costs no model time.
/// </summary>
public static class ConversationMemory
{
    /// <summary>Share of content words two replies must share (Jaccard) to count as the same reply said again.</summary>
    public const double RepeatOverlap = 0.7;

    /// <summary>Replies shorter than this are too short to call repetition ("Okay." twice is just talk).</summary>
    public const int MinimumContentWords = 4;

    /// <summary>The earlier trainee turn this reply repeats, with its 1-based turn number among the trainee's turns in the context; null when none.</summary>
    public static (string Text, int Turn)? RepeatedTurn(IReadOnlyList<ContextTurn> context, string reply)
    {
        var words = Stems(reply);
        if (words.Count < MinimumContentWords) return null;
        var teacherTurns = context.Where(t => t.Speaker == "teacher").ToList();
        for (var i = teacherTurns.Count - 1; i >= 0; i--)
        {
            var earlier = Stems(teacherTurns[i].Text);
            if (earlier.Count == 0) continue;
            var overlap = words.Intersect(earlier).Count() / (double)words.Union(earlier).Count();
            if (overlap >= RepeatOverlap) return (teacherTurns[i].Text, i + 1);
        }
        return null;
    }

    /// <summary>The highest score a reply said before can get: it earns nothing new (weak, below developing).</summary>
    public const int RepeatCap = 40;
    public const string RepeatFlag = "repeat";

    /// <summary>Caps a judgement whose reply repeats an earlier turn, and says so in the trainee's words.</summary>
    public static Judgement Apply(Judgement judgement, (string Text, int Turn) repeated, string speaker)
    {
        var score = Math.Min(judgement.Score, RepeatCap);
        var earlier = repeated.Text.Length <= 90 ? repeated.Text : repeated.Text[..87].TrimEnd() + "...";
        return judgement with
        {
            Score = score,
            Band = JudgementBands.For(score),
            Notes = [.. judgement.Notes, $"You said nearly the same earlier (\"{earlier}\"): the {speaker} has heard it, so saying it again earns nothing new. Take the conversation on from what they said since."],
            Flags = [.. judgement.Flags, RepeatFlag],
        };
    }

    private static HashSet<string> Stems(string text)
        => TextTokens.Tokenize(text).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
}
