using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>A red line's example or near-miss, embedded, with whether it is said in the negative.</summary>
public sealed record RedLinePhrase(string Text, float[] Vector, bool Negated);

/// <summary>A red line ready for detection: its definition and its embedded examples and near-misses.</summary>
public sealed record RedLineModel(RedLine RedLine, IReadOnlyList<RedLinePhrase> Examples, IReadOnlyList<RedLinePhrase> NearMisses);

/// <summary>
/// A reply that crossed a red line: the clause in the trainee's words that did it, the example it is
/// closest to, and by how much it is closer to the breaching examples than to the safe ones.
/// </summary>
public sealed record RedLineBreach(RedLine RedLine, EncodedClause Evidence, string MatchedExample, double Similarity, double Margin, string? SafestMatch);

/// <summary>
/// Recognises a reply that crosses one of a scenario's red lines, from the clause vectors the engine
/// already has (no extra model call). A clause breaches a red line when
/// <list type="number">
/// <item>it is close to one of the red line's examples said with the same polarity (both affirmative,
/// as in "it stays between us", or both negative, as in "I won't tell anyone"), at least <see cref="SimilarityFloor"/>; and</item>
/// <item>it is closer to that example by <see cref="Margin"/> than to anything safe: the near-misses
/// ("I can't promise to keep it secret") and the examples said with the opposite polarity, since
/// negating a breach ("I won't promise it stays between us") is what a near-miss is.</item>
/// </list>
/// Polarity is read from negation words in plain sight, so every decision can be explained.
/// </summary>
public static partial class RedLineDetector
{
    /// <summary>A clause must be at least this close to a breaching example (MiniLM cosine) to count.</summary>
    public const double SimilarityFloor = 0.55;
    /// <summary>...and this much closer to it than to the nearest safe phrase.</summary>
    public const double Margin = 0.03;

    private enum Polarity { Affirmative, Negated, Mixed }

    /// <summary>The red lines the reply crosses (at most one breach per red line: its clearest clause), in the scenario's order.</summary>
    public static IReadOnlyList<RedLineBreach> Detect(RubricBasis basis, EncodedReply reply)
    {
        if (basis.RedLines.Count == 0) return [];
        IReadOnlyList<EncodedClause> units = reply.Clauses.Count > 0
            ? reply.Clauses
            : [new EncodedClause(new(0, reply.Text.Length), reply.Text, reply.Vector)];
        var polarities = units.Select(u => PolarityOf(u.Text)).ToList();
        var breaches = new List<RedLineBreach>();
        foreach (var model in basis.RedLines)
        {
            RedLineBreach? best = null;
            for (var i = 0; i < units.Count; i++)
            {
                var breach = Check(model, units[i], polarities[i]);
                if (breach is not null && (best is null || breach.Margin > best.Margin)) best = breach;
            }
            if (best is not null) breaches.Add(best);
        }
        return breaches;
    }

    private static RedLineBreach? Check(RedLineModel model, EncodedClause unit, Polarity polarity)
    {
        double breachSimilarity = -1, safeSimilarity = -1;
        string? matched = null, safest = null;
        foreach (var example in model.Examples)
        {
            var similarity = VectorMath.Dot(unit.Vector, example.Vector);
            // A clause that mixes an affirmative and a negative part could mean either; only near-misses speak for it.
            var samePolarity = polarity == Polarity.Mixed || example.Negated == (polarity == Polarity.Negated);
            if (samePolarity && similarity > breachSimilarity) (breachSimilarity, matched) = (similarity, example.Text);
            if (!samePolarity && similarity > safeSimilarity) (safeSimilarity, safest) = (similarity, example.Text);
        }
        foreach (var nearMiss in model.NearMisses)
        {
            var similarity = VectorMath.Dot(unit.Vector, nearMiss.Vector);
            if (similarity > safeSimilarity) (safeSimilarity, safest) = (similarity, nearMiss.Text);
        }
        var margin = breachSimilarity - Math.Max(safeSimilarity, 0);
        return matched is not null && breachSimilarity >= SimilarityFloor && margin >= Margin
            ? new RedLineBreach(model.RedLine, unit, matched, Math.Round(breachSimilarity, 4), Math.Round(margin, 4), safest)
            : null;
    }

    /// <summary>
    /// Caps a judgement for the red lines its reply crossed: the criteria each breach concerns and the
    /// overall score at the lowest cap (band recomputed), with the reason in the notes and the suggestion.
    /// </summary>
    public static Judgement Apply(Judgement judgement, IReadOnlyList<RedLineBreach> breaches)
    {
        if (breaches.Count == 0) return judgement;
        var byCriterion = new Dictionary<string, RedLineBreach>(StringComparer.Ordinal);
        foreach (var breach in breaches)
        {
            foreach (var key in breach.RedLine.Criteria) byCriterion.TryAdd(key, breach);
        }
        var criteria = judgement.Criteria.Select(c => byCriterion.TryGetValue(c.Key, out var b)
            ? c with
            {
                Score = Math.Min(c.Score, b.RedLine.Cap),
                Evidence = b.Evidence.Text,
                EvidenceStart = b.Evidence.Span.Start,
                Effect = "cost",
                Explanation = $"Red line: {b.RedLine.Name}. You wrote \"{b.Evidence.Text}\".",
            }
            : c).ToList();
        var cap = breaches.Min(b => b.RedLine.Cap);
        var overall = Math.Min(JudgementComposer.Overall(criteria), cap);
        var messages = breaches.Select(Explain).ToList();
        return judgement with
        {
            Score = overall,
            Band = JudgementBands.For(overall),
            Criteria = criteria,
            Suggestion = string.Join(" ", messages.Append(judgement.Suggestion)),
            Notes = [.. judgement.Notes, .. messages],
        };
    }

    /// <summary>What the trainee reads: the line crossed, their own words, why it matters, and the cap.</summary>
    public static string Explain(RedLineBreach breach)
        => $"Red line: {breach.RedLine.Name} (\"{breach.Evidence.Text.TrimEnd('.', ' ')}\"). {breach.RedLine.Description.TrimEnd()} " +
           $"A reply that does this scores at most {breach.RedLine.Cap}.";

    /// <summary>Whether a phrase is said in the negative ("I won't tell anyone", "Nobody will know"), ignoring idioms that negate nothing ("don't worry").</summary>
    public static bool IsNegated(string text) => Negation().IsMatch(Idioms().Replace(text, " "));

    /// <summary>
    /// Affirmative, negated, or mixed when the clause's parts disagree ("I won't judge you, and it
    /// stays between us"): the clause vector cannot say which part a breach sits in.
    /// </summary>
    private static Polarity PolarityOf(string clause)
    {
        // Parts of one or two words ("OK", "Leah", "Of course") are address or interjection, not a statement.
        var text = Idioms().Replace(clause, " ");
        var parts = Parts().Split(text).Where(p => Words().Count(p) >= 3).ToList();
        if (parts.Count == 0) return Negation().IsMatch(text) ? Polarity.Negated : Polarity.Affirmative;
        var negated = parts.Count(p => Negation().IsMatch(p));
        return negated == 0 ? Polarity.Affirmative : negated == parts.Count ? Polarity.Negated : Polarity.Mixed;
    }

    [GeneratedRegex(@"\b(not|never|no|nobody|nothing|none|nor|neither|cannot|no-one)\b|n['’]t\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Negation();

    /// <summary>Negation words that negate nothing said: reassurance, interjections, "no matter what".</summary>
    [GeneratedRegex(@"\b(don['’]t|do not) (you )?worry\b|\bno (worries|problem|matter|doubt)\b|\bnot (a problem|only|just)\b|\bof course not\b|\bwhether or not\b|\bnever mind\b|^\s*(no|nope|not really)\b[,.!]?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Idioms();

    /// <summary>Where a clause's parts meet: a comma, a semicolon, or a joining "and"/"but"/"so".</summary>
    [GeneratedRegex(@"[,;]\s*|\s+(?:and|but|so)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Parts();

    [GeneratedRegex(@"[\p{L}\p{N}'’]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
