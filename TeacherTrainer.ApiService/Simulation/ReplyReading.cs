using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Evaluation;
using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>
/// How the persona takes a reply, beyond its move: a reply that hands its own words back, talks about
/// something else, crosses a red line, or that the judge flagged, earns nothing from it.
/// </summary>
public sealed record ReplyReading(bool Parroting, bool OffTopic, string? RedLine, bool Harmful, bool Sneer, IReadOnlyList<string> Flags)
{
    /// <summary>Judge findings that mean the reply did not really say what it seems to.</summary>
    public static readonly string[] HollowFlags =
    [
        IntegrityFamilies.Echo, IntegrityFamilies.FormulaicRevoicing, IntegrityFamilies.Stuffing, IntegrityFamilies.NegatedContent,
        IntegrityFamilies.Padding, IntegrityFamilies.Generic, Judgement.InjectionFlag,
    ];

    /// <summary>The reply cannot meet a goal or earn trust.</summary>
    public bool Blocked => Parroting || OffTopic || RedLine is not null || Harmful || Sneer || Hollow;

    public bool Hollow => Flags.Any(HollowFlags.Contains);
}

/// <summary>
/// Reads a reply for the things the persona reacts to besides its move. The judge's flags
/// (<see cref="Judgement.Flags"/>) are used as they are; until every judge finding is wired, two
/// obvious cases are also checked here: a reply that mostly repeats the persona's last line, and one
/// with no words in common with and little meaning near the conversation.
/// </summary>
public static partial class ReplyReader
{
    /// <summary>
    /// A harmful label the judge does not share: the classifier sometimes reads an apology or a firm,
    /// kind reply as sarcasm or a threat. From this score the judge's reading wins.
    /// </summary>
    public const int JudgeOverridesHarmFrom = 60;
    /// <summary>The same, for a reply that apologises: an apology is the classifier's most common misreading.</summary>
    public const int JudgeOverridesHarmInApologyFrom = 40;
    /// <summary>
    /// Below this the classifier's harmful label is a guess, and the persona does not take offence at a guess: in the
    /// judgement digest every harmful label under 0.5 that the judge did not also flag was on a sincere reply ("But
    /// pushing isn't okay, because Zara could get hurt. You're not a bad kid, you made a bad choice." was a dismissal at
    /// 0.29). A sneer the judge found is heard however unsure the classifier is.
    /// </summary>
    public const double HarmHeardFrom = 0.5;

    /// <summary>Below this cosine to the persona's last line and to the opening, a reply with no shared words may be off the topic...</summary>
    public const double OffTopicBelow = 0.2;
    /// <summary>...if it is also this far from every line that would meet one of the persona's goals...</summary>
    public const double OffGoalsBelow = 0.3;
    /// <summary>...and the judge did not think it strong (the judge alone is generous to a friendly question about something else).</summary>
    public const int OffTopicScoreBelow = 65;

    /// <summary>Words that frame a repeat ("so you're saying...") and add nothing of the teacher's own.</summary>
    private static readonly HashSet<string> Framing = new(StringComparer.Ordinal)
    {
        "saying", "sounds", "sound", "hear", "hearing", "feel", "feeling", "feels", "told", "tell", "telling", "says",
    };

    public static ReplyReading Read(string reply, float[] replyVector, string personaLastLine, float[]? personaLastVector,
        IEnumerable<string> conversation, float[]? openingVector, Judgement judgement, MoveClassification move, bool saysWhatAGoalAsks = false,
        double goalCloseness = 1)
    {
        var flags = judgement.Flags;
        var redLine = flags.FirstOrDefault(f => f.StartsWith(Judgement.RedLineFlagPrefix, StringComparison.Ordinal))?[Judgement.RedLineFlagPrefix.Length..];
        // The classifier's harmful label stands when it is sure of it (or the judge heard a sneer), unless the judge scores
        // the reply well or it says what one of the persona's goals asks for in the scenario author's own words.
        var sneer = flags.Contains(IntegrityFamilies.Sneer);
        var harmful = Moves.IsHarmful(move.Move) && !saysWhatAGoalAsks && (move.Confidence >= HarmHeardFrom || sneer)
            && judgement.Score < (ConversationFacts.Apologises(reply) ? JudgeOverridesHarmInApologyFrom : JudgeOverridesHarmFrom);
        // Their words handed back, just now or in a formula round something they said earlier. A bare formula ("I hear
        // you.") hands nothing back: it is hollow, not a repeat, and the persona must not answer "that's what I said".
        var parroting = flags.Contains(IntegrityFamilies.Echo) || Repeats(reply, personaLastLine)
            || (flags.Contains(IntegrityFamilies.FormulaicRevoicing) && HandsBackTheirWords(reply, conversation.Append(personaLastLine)));
        // A red line crossed is the situation answered wrongly, never a change of subject. The persona's own reading adds to
        // the judge's; a reply the judge heard as acknowledging feelings or offering a choice without a subject of its own (it
        // would have flagged one) is about them.
        var acknowledges = move is { Move: Moves.ValidateFeelings or Moves.OfferChoice, Confidence: >= ReplyIntegrity.FeelingsHeardFrom };
        var offTopic = redLine is null && (flags.Contains(IntegrityFamilies.OffTopic) || (!parroting && !acknowledges && judgement.Score < OffTopicScoreBelow && goalCloseness < OffGoalsBelow
            && OffTopic(reply, replyVector, personaLastVector, openingVector, conversation.Append(personaLastLine), personaLastLine)));
        return new ReplyReading(parroting, offTopic, redLine, harmful, sneer, flags);
    }

    /// <summary>Whether the reply holds any of the persona's content words beyond the framing ("I hear you." holds none).</summary>
    private static bool HandsBackTheirWords(string reply, IEnumerable<string> personaSaid)
    {
        var said = personaSaid.SelectMany(TextTokens.Tokenize).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        return TextTokens.Tokenize(reply).Any(t => t.IsContent && !Framing.Contains(t.Lower) && said.Contains(t.Stem));
    }

    /// <summary>The persona's content words handed back (three of them, or all of a short line), with at most one word of the teacher's own.</summary>
    public static bool Repeats(string reply, string personaLastLine)
    {
        var theirs = TextTokens.Tokenize(personaLastLine).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var mine = TextTokens.Tokenize(reply).Where(t => t.IsContent && !Framing.Contains(t.Lower)).Select(t => t.Stem).Distinct().ToList();
        var repeated = mine.Count(theirs.Contains);
        // Their words with a feeling named ("That sounds really scary, your head going blank...") reflect them, as the judge reads it.
        if (mine.Any(s => !theirs.Contains(s) && ReplyIntegrity.NamesFeelingOrCause(s))) return false;
        // A question that asks about their words asks something of its own: "How do you feel when Theo calls you ginger?" is
        // one of Liam's goal lines, and he answered it "Yeah, banter. That's what I said." ("So he calls you ginger?" still repeats.)
        if (AsksAboutThem().IsMatch(reply)) return false;
        // Their words with a limit on what they did are the teacher's judgement of it, as the judge reads it: to "I know you
        // wanted a turn. Pushing still isn't okay." Leo cooled, "hearing their own words handed back", and said "Yes! My turn!".
        if (MoveClassifier.LimitsTheBehaviour(reply)) return false;
        return repeated >= Math.Min(3, theirs.Count) && repeated > 0 && mine.Count - repeated <= 1;
    }

    [GeneratedRegex(@"^\W*(so,?\s+|and\s+)?(how|why|what|when|where|who|which)\s+\w+[^?]*\?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksAboutThem();

    public static bool OffTopic(string reply, float[] replyVector, float[]? personaLastVector, float[]? openingVector, IEnumerable<string> conversation,
        string personaLastLine)
    {
        var words = TextTokens.Tokenize(reply).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        if (words.Count == 0) return false;
        var said = conversation.SelectMany(TextTokens.Tokenize).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        // One shared everyday word ("today", "school") is not a shared topic; two are, as the judge counts it.
        if (words.Count(said.Contains) > 1) return false;
        // Nor is a statement that explains a word they just said ("your brain goes into alarm mode"), as the judge reads it.
        if (EverydayWords.StatementTakesUp(reply, personaLastLine)) return false;
        // An apology answers the whole conversation ("I'm sorry the letter came without any explanation."), as the judge reads it.
        if (Apologies.In(reply)) return false;
        // A limit on what they did, or saying whether it is harmless fun, answers them, as the judge reads it: Liam "tensed: that
        // did not answer what they said" at "I'm not saying you're a bad lad. But that has to end now." and at "I don't think
        // it's harmless. I think it's hurting him.", which the judge scored 60 and 61, unflagged.
        if (MoveClassifier.LimitsTheBehaviour(reply) || MoveClassifier.DeniesItIsHarmless(reply) || MoveClassifier.CallsItHarmless(reply)) return false;
        var nearLast = personaLastVector is null ? 0 : VectorMath.Dot(replyVector, personaLastVector);
        var nearOpening = openingVector is null ? 0 : VectorMath.Dot(replyVector, openingVector);
        return Math.Max(nearLast, nearOpening) < OffTopicBelow;
    }
}
