using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Turns the engine's measurements into the words a trainee reads: an explanation per criterion
/// and one concrete suggestion. Built only from the criteria, the evidence, the move and the
/// exemplars, so it is specific with no language model present, and the same input always reads the same.
/// </summary>
public static class FeedbackWriter
{
    /// <summary>A move is named to the trainee only when the engine is this sure of it: a guess is not feedback.</summary>
    public const double MoveNamedFrom = 0.6;

    public static string Explain(CriterionScore score, MoveClassification move, MoveCatalog moves)
    {
        var criterion = score.Model.Criterion;
        var moveName = moves.NameOf(move.Move).ToLowerInvariant();
        var sure = move.Confidence >= MoveNamedFrom;
        // A helpful move in words close to a warning is not said to serve the criterion as well: "What does multifaceted mean?"
        // is an open question, and it is the vocabulary test Jaylen's scenario warns against.
        var moveNote = !sure ? ""
            : criterion.HelpfulMoves.Contains(move.Move) && score.Effect == "cost" ? $" Your reply reads as {moveName}, which can serve this, but not in these words."
            : criterion.HelpfulMoves.Contains(move.Move) ? $" Your reply reads as {moveName}, which serves this well."
            : criterion.HarmfulMoves.Contains(move.Move) || Moves.IsHarmful(move.Move) ? $" Your reply reads as {moveName}, which works against it."
            : "";
        return score.Effect switch
        {
            "earned" => $"“{Quote(score.Evidence!.Text)}” does what this asks: it is close to “{score.MatchedIndicator}”.{moveNote}",
            "cost" => $"“{Quote(score.Evidence!.Text)}” works against it: it is close to what this criterion warns against (“{score.MatchedIndicator}”).{moveNote}",
            _ when score.Score >= 50 => $"Nothing in the reply stood out for or against this; the overall approach carried it.{moveNote}",
            _ => $"No part of the reply showed this yet: {FirstSentence(criterion.Description)}{moveNote}",
        };
    }

    /// <summary>
    /// The strong exemplar to show as "an expert might have said": one written in answer to the line
    /// the trainee is answering, when the scenario has one (an answer to another line would not fit
    /// the moment), else the strong reply nearest to the trainee's own.
    /// </summary>
    /// <param name="firstReply">The trainee is answering the opening line (exemplars without <c>After</c> answer it).</param>
    public static ExemplarModel? ExpertExample(IReadOnlyList<(ExemplarModel Exemplar, double Similarity)> nearest, string? lastWords, bool firstReply)
    {
        var strong = nearest.Where(n => n.Exemplar.Rating >= 4).ToList();
        if (strong.Count == 0) return null;
        if (lastWords is not null)
        {
            var answering = strong.FirstOrDefault(n => n.Exemplar.After is { } after
                ? string.Equals(after.Trim(), lastWords.Trim(), StringComparison.Ordinal)
                : firstReply);
            if (answering.Exemplar is not null) return answering.Exemplar;
            var words = ContentStems(lastWords);
            var (best, overlap) = strong.Where(n => n.Exemplar.After is not null)
                .Select(n => (n.Exemplar, Overlap: Jaccard(words, ContentStems(n.Exemplar.After!))))
                .OrderByDescending(x => x.Overlap).FirstOrDefault();
            if (best is not null && overlap >= AnsweringOverlap) return best;
        }
        return strong[0].Exemplar;
    }

    /// <summary>Share of content words two persona lines must share to count as the same moment.</summary>
    public const double AnsweringOverlap = 0.5;

    private static HashSet<string> ContentStems(string text)
        => TextTokens.Tokenize(text).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
        => a.Count + b.Count == 0 ? 0 : a.Intersect(b).Count() / (double)a.Union(b).Count();

    public static string ExplainUptake(UptakeResult uptake, string speaker) => uptake switch
    {
        { Guard: not UptakeGuard.None } => uptake.Reason, // the echo guard's reason already quotes the echo and says what to do
        { Evidence: { } evidence } when BuildsOn(uptake) => $"{uptake.Reason.TrimEnd('.')}: “{Quote(evidence.Text)}” builds on what the {speaker} said.",
        { Evidence: { } evidence } => $"“{Quote(evidence.Text)}” takes up little of what the {speaker} said. Pick up the {speaker}'s own words or idea before moving on.",
        _ => $"{uptake.Reason.TrimEnd('.')}. Pick up the {speaker}'s own words or idea before moving on.",
    };

    /// <summary>
    /// Uptake below this is not credited to the words it quotes: "What does multifaceted mean?" (14) is a short question, but
    /// it was never "building on what the student said".
    /// </summary>
    public const double UptakeBuildsFrom = 35;

    /// <summary>Whether the uptake score is high enough to say that its evidence builds on what was said.</summary>
    public static bool BuildsOn(UptakeResult uptake) => uptake.Score >= UptakeBuildsFrom;

    public static string ExplainCollection(CollectionJudgement judgement, int expertNeighbours, int neighbours)
        => judgement.Band switch
        {
            CollectionBand.NoEvidence => "The collection holds nothing close enough to compare with.",
            CollectionBand.ExpertLike => $"Replies like yours in this collection were written by experts ({expertNeighbours} of the {neighbours} nearest).",
            CollectionBand.NoviceLike => $"Replies like yours in this collection were mostly the novices' ({neighbours - expertNeighbours} of the {neighbours} nearest).",
            _ => $"Your reply sits between the experts' and the novices' replies in this collection ({expertNeighbours} of the {neighbours} nearest are expert).",
        };

    /// <summary>One concrete next step: for the criterion that cost the most, what to do and how an expert put it.</summary>
    public static string Suggest(string weakestKey, string weakestName, string weakestDescription, string? expertExample, string? speakerWords, string speaker)
    {
        var example = expertExample is null ? "" : $" An expert might have said: “{Quote(expertExample, 240)}”";
        if (weakestKey == "uptake")
        {
            var keyWords = KeyWords(speakerWords);
            var words = keyWords.Count == 0 ? "" : $" ({string.Join(", ", keyWords.Select(w => $"“{w}”"))})";
            return $"Build on what the {speaker} just said: use their own words{words} and ask about them before making your point.{example}";
        }
        return $"Work on {weakestName.ToLowerInvariant()}: {FirstSentence(weakestDescription)}{example}";
    }

    /// <summary>
    /// The few words that carry the speaker's idea, as they wrote them and in their order: names first,
    /// then the longest content words ("Kayla", "crying", "multiplication", not "Look", "quick", "ten").
    /// </summary>
    public static IReadOnlyList<string> KeyWords(string? text, int count = 3)
        => text is null ? [] : TextTokens.Tokenize(text)
            .Where(t => t.IsContent && !t.IsNumber && t.Length > 2 && !Discourse.Contains(t.Lower))
            .DistinctBy(t => t.Stem)
            .Select((t, i) => (Token: t, Name: t.Start > 0 && char.IsUpper(text[t.Start]) && !SentenceStart(text, t.Start)))
            .OrderByDescending(x => x.Name).ThenByDescending(x => x.Token.Length).ThenBy(x => x.Token.Start)
            .Take(count).OrderBy(x => x.Token.Start)
            .Select(x => text.Substring(x.Token.Start, x.Token.Length)).ToList();

    /// <summary>Words that frame talk rather than carry its idea, and hurtful words nobody should be told to say back.</summary>
    private static readonly HashSet<string> Discourse = new(StringComparer.Ordinal)
    {
        "look", "quick", "just", "really", "well", "right", "okay", "like", "know", "mean", "thing", "things", "stuff", "want", "going", "said", "says", "tell", "told",
        "stupid", "idiot", "dumb", "thick", "useless", "hate", "lazy", "rubbish",
    };

    private static bool SentenceStart(string text, int index)
    {
        var before = text[..index].TrimEnd();
        return before.Length == 0 || before[^1] is '.' or '!' or '?' or '"' or '“';
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOfAny(['.', '!', '?']);
        return end < 0 ? text.Trim() + "." : text[..(end + 1)].Trim();
    }

    private static string Quote(string text, int max = 160)
        => text.Length <= max ? text : text[..max].TrimEnd() + "…";
}
