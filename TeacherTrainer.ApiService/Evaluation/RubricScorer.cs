using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>One criterion's measured signals and result, before it is phrased for the trainee.</summary>
public sealed record CriterionScore(
    CriterionModel Model,
    int Score,
    EncodedClause? Evidence,
    string Effect,
    string? MatchedIndicator,
    double IndicatorMargin,
    double MoveSignal,
    double ExemplarSignal);

/// <summary>
/// Scores a reply on a rubric criterion from three observable signals, each explainable:
/// <list type="number">
/// <item>Indicators: how much closer the reply (or one of its clauses) is to what the criterion's
/// positive indicators say than to its negative ones (cosine margin). The clause that decides it is the evidence.</item>
/// <item>Move: the classified move's probabilities, counted for the criterion's helpful moves and
/// against its harmful ones.</item>
/// <item>Exemplars: the similarity-weighted rating of the scenario's nearest rated replies (1 to 5).</item>
/// </list>
/// Combined linearly and mapped through a logistic to 0..100, where 50 means "no sign either way".
/// </summary>
public static partial class RubricScorer
{
    /// <summary>Similarity weighting of exemplar ratings: weight = exp(similarity / T).</summary>
    public const double ExemplarTemperature = 0.05;
    public const int ExemplarNeighbours = 3;
    /// <summary>Evidence must be at least this close to an indicator to be shown as what earned the score.</summary>
    public const double EvidenceSimilarityFloor = 0.35;
    /// <summary>
    /// Words are shown as what cost the score only when they are this close to a negative indicator and
    /// clearly closer to it than to any positive one: telling a trainee their reply "reads like" a
    /// bad reply when it does not is the fastest way to lose their trust.
    /// </summary>
    public const double CostEvidenceSimilarityFloor = 0.5;
    public const double CostEvidenceMargin = -0.05;

    /// <param name="rubric">
    /// The whole rubric, whose positive indicators (all criteria) this reads. A clause closer to one of them than to this criterion's
    /// warning is doing another good thing ("You're really sad today, and that's okay." names the feeling): it is never
    /// shown as what cost this criterion ("Let's not talk about sad things right now.") for sharing its words. Scores are
    /// unchanged (discounting the warning's pull was measured: scenario agreement fell from 0.669 to 0.639).
    /// </param>
    /// <param name="warningsReadBy">
    /// Given only for a reply read as kind (<see cref="KindReply"/>): the move classifier, to read the criterion's warnings
    /// themselves. A warning that is itself harmful ("Stop being silly, your pen is fine.", a dismissal) is near a kind reply
    /// about the same thing ("Let's find you a new pen. Here you go.") by its topic, not its stance, and pulls such a reply
    /// down to no sign either way at most.
    /// </param>
    /// <param name="redLinesOf">
    /// The basis the criterion belongs to, whose red lines also mark a warning as hostile: "Why are you being such a bully, Liam?"
    /// is heard as an open question, yet it labels the boy as the scenario's own red line says, and "It has to stop today, Liam.
    /// You're not a bad lad, but that name is hurting him." was 0.62 from it and shown as what cost it.
    /// </param>
    public static CriterionScore Score(CriterionModel model, EncodedReply reply, MoveClassification move, double exemplarSignal, RubricWeights? weights = null,
        IReadOnlyList<CriterionModel>? rubric = null, MoveClassifier? warningsReadBy = null, RubricBasis? redLinesOf = null)
    {
        var w = weights ?? RubricWeights.Default;
        // The whole reply and each clause compete: a single clause can carry the criterion.
        var units = reply.Clauses.Count > 1
            ? reply.Clauses.Prepend(new EncodedClause(new(0, reply.Text.Length), reply.Text, reply.Vector)).ToList()
            : [new EncodedClause(new(0, reply.Text.Length), reply.Text, reply.Vector)];

        EncodedClause? bestPositiveUnit = null, bestNegativeUnit = null;
        double bestPositive = -1, bestNegative = -1;
        int bestPositiveIndicator = -1, bestNegativeIndicator = -1;
        var warnings = WarningPolarities(model);
        var hostile = warningsReadBy is null ? null : HostileWarnings(model, warningsReadBy, redLinesOf);
        foreach (var unit in units)
        {
            var (p, pi) = MaxSimilarity(unit.Vector, model.Positive);
            // A warning said the other way round is not what the clause says: "I won't ring your mum without talking to you
            // first." is near "I'm ringing your mum tonight" in words only (it scored 16 on not threatening). Such a warning
            // can pull the clause down to no sign either way (as near as its best good indicator), never below.
            // Read only where it matters, when an affirmative warning outweighs every good indicator.
            var (n, ni) = MaxSimilarity(unit.Vector, model.Negative);
            if (ni >= 0 && n > p && (RulesOut(unit.Text, warnings[ni]) || hostile?[ni] == true))
            {
                var (a, ai) = MaxSimilarity(unit.Vector, model.Negative, i => !RulesOut(unit.Text, warnings[i]) && hostile?[i] != true);
                // Refusing the very promise a warning makes is the good side of it, not merely no sign: "I can't promise nobody
                // will ever know, but I'll keep your name out of it..." had 48 on being honest about confidentiality. It leans
                // to the good side by up to half a step of the indicator scale: a bare "I can't promise anything." is honest but
                // explains nothing, and its nearness to a good indicator is not allowed to carry the whole criterion.
                var floor = DeclinesPromise().IsMatch(unit.Text) && warnings[ni].Promises ? p - w.IndicatorScale / 2 : p;
                (n, ni) = a >= floor ? (a, ai) : (floor, ni);
            }
            if (p > bestPositive) (bestPositive, bestPositiveUnit, bestPositiveIndicator) = (p, unit, pi);
            if (n > bestNegative) (bestNegative, bestNegativeUnit, bestNegativeIndicator) = (n, unit, ni);
        }
        var margin = bestPositive - bestNegative;
        // A reply heard as harmful earns nothing by its topic: "Cheer up, Sofia. Pickles wouldn't want you to be sad." is a
        // dismissal, and its words sit near "name the feeling" (it scored 55, that criterion shown as earned). Nearness to a good
        // indicator can bring such a reply up to no sign either way, never past it; a warning it is near still costs.
        if (Moves.IsHarmful(move.Move)) margin = Math.Min(margin, 0);

        var criterion = model.Criterion;
        double moveSignal = 0;
        foreach (var (key, probability) in move.Probabilities)
        {
            if (criterion.HelpfulMoves.Contains(key)) moveSignal += probability;
            if (criterion.HarmfulMoves.Contains(key)) moveSignal -= probability;
            else if (Moves.IsHarmful(key)) moveSignal -= w.HarmfulMovePenalty * probability;
        }

        var raw = w.Indicator * Math.Clamp(margin / w.IndicatorScale, -2, 2)
                  + w.Move * moveSignal
                  + w.Exemplar * exemplarSignal;
        var score = (int)Math.Round(100 / (1 + Math.Exp(-w.Slope * raw)));

        // Evidence: the clause that earned the score (closest to a positive indicator) when the
        // score is on the good side, the clause that cost it when on the bad side.
        EncodedClause? evidence = null;
        string effect = "none";
        string? indicator = null;
        if (score >= 50 && bestPositive >= EvidenceSimilarityFloor && margin > 0)
        {
            evidence = bestPositiveUnit;
            effect = "earned";
            indicator = criterion.PositiveIndicators[bestPositiveIndicator];
        }
        else if (score < 50 && bestNegative >= CostEvidenceSimilarityFloor && margin <= CostEvidenceMargin
                 && (rubric is null || !rubric.Any(c => MaxSimilarity(bestNegativeUnit!.Vector, c.Positive).Similarity >= bestNegative)))
        {
            evidence = bestNegativeUnit;
            effect = "cost";
            indicator = criterion.NegativeIndicators[bestNegativeIndicator];
        }
        return new CriterionScore(model, score, evidence, effect, indicator, Math.Round(margin, 4), Math.Round(moveSignal, 4), Math.Round(exemplarSignal, 4));
    }

    /// <summary>
    /// -1..1 from the nearest rated exemplars: +1 when the reply sits among 5-rated replies, -1 among
    /// 1-rated ones. Exemplars answering another line of the conversation count as much as the
    /// others: what makes a reply good rarely depends on which line it answered.
    /// </summary>
    public static (double Signal, IReadOnlyList<(ExemplarModel Exemplar, double Similarity)> Nearest) ExemplarSignal(
        float[] reply, IReadOnlyList<ExemplarModel> exemplars)
    {
        if (exemplars.Count == 0) return (0, []);
        var nearest = exemplars
            .Select(e => (Exemplar: e, Similarity: VectorMath.Dot(reply, e.Embedding)))
            .OrderByDescending(x => x.Similarity).ThenBy(x => x.Exemplar.Text, StringComparer.Ordinal)
            .ToList();
        var top = nearest.Take(ExemplarNeighbours).ToList();
        double weighted = 0, total = 0;
        foreach (var (exemplar, similarity) in top)
        {
            var weight = Math.Exp((similarity - top[0].Similarity) / ExemplarTemperature);
            weighted += weight * exemplar.Rating;
            total += weight;
        }
        var rating = weighted / total;
        return ((rating - 3) / 2, nearest);
    }

    /// <summary>
    /// A clause that rules out what a warning says. Two ways:
    /// <list type="bullet">
    /// <item>An unconditional negation of an affirmative warning ("I won't ring your mum", against "I'm ringing your mum
    /// tonight"). Only this way round, and never a condition: "If the homework isn't done our way, it won't get credit." is
    /// negated in form and a threat in fact, and an affirmative clause against a negated warning was measured to lower agreement.</item>
    /// <item>Declining to promise, against a warning that promises: "I can't promise nobody will ever know" is what a teacher
    /// who is honest about confidentiality says, and it was shown as close to "Of course, I promise I won't tell anyone."
    /// (both read as negated, because the promise's own content is).</item>
    /// <item>Committing to nothing, against a warning that promises: "Of course you can tell me." invites a child to speak and
    /// promises no secrecy, and it cost the confidentiality criterion 23 for being near "Of course, I promise I won't tell
    /// anyone." in its words. A clause that says nothing of keeping, telling or who will know (<see cref="Commits"/>) makes no
    /// promise; a breach in other words is still the red line's to catch.</item>
    /// </list>
    /// </summary>
    private static bool RulesOut(string clause, Warning warning)
        => (warning.Polarity == RedLinePolarity.Affirmative && RedLineDetector.PolarityOf(clause) == RedLinePolarity.Negated && !Condition().IsMatch(clause))
           || (warning.Promises && (DeclinesPromise().IsMatch(clause) || !Commits().IsMatch(clause)));

    /// <summary>Words that commit to keeping something, to telling or not telling, or to who will know.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(promise\w*|swear|won['’]?t|will not|never|not going to|stays?|staying|between (us|you and me|ourselves)|secrets?|safe with me|nobody|no one|no-one|anyone|keep\w*|quiet|lips|grave|word|further|tell\w* (anyone|nobody|no one|them|your|the|him|her|mum|dad)|pass (it|this) on|share|know|leave (this|the) room|pretend)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Commits();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(if|unless|or else|otherwise|until)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Condition();

    /// <summary>"I can't promise", "I won't make that promise", "I'm not able to promise": the promise itself is refused.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(can['’]?t|cannot|won['’]t|will not|not (going|able) to|unable to|never)\s+(make\s+(you\s+)?(a|that|this|any|those)\s+)?promise", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DeclinesPromise();

    /// <summary>A warning that makes a promise ("Of course, I promise I won't tell anyone."), and does not decline one.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\bpromise\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Promise();

    private sealed record Warning(RedLinePolarity Polarity, bool Promises);

    /// <summary>A reply whose harmful moves together are read below this, as a whole and clause by clause, is kind.</summary>
    public const double KindReplyHarmfulShare = 0.2;

    /// <summary>
    /// Whether a hostile warning's closeness to the reply can only be its topic: the reply as a whole, and each clause on its own,
    /// is read as harmful less than <see cref="KindReplyHarmfulShare"/>. Read clause by clause because a sneer beside kind
    /// words ("Stop blaming Tyler. I saw you, and frankly I'm not surprised.") can be read as kind as a whole. Read once per reply.
    /// </summary>
    public static bool KindReply(EncodedReply reply, MoveClassification move, MoveClassifier hear)
        => move.HarmfulShare < KindReplyHarmfulShare && reply.Clauses.All(c => hear.HearClause(c.Text, c.Vector).HarmfulShare < KindReplyHarmfulShare);

    /// <summary>
    /// A warning the classifier itself reads as harmful at this or more, its harmful moves together, is hostile: "Stop crying
    /// and listen to me, Leo." is dismissal 0.45, threat 0.11 and sarcasm 0.03, harmful whichever of them it is.
    /// </summary>
    public const double HostileWarningProbability = 0.5;

    /// <summary>
    /// Which of a criterion's warnings are themselves harmful, read once per criterion and classifier: heard as harmful, or
    /// crossing one of the scenario's red lines on its own. A warning that promises secrecy crosses a red line without being
    /// hostile, and is read by <see cref="RulesOut"/> instead.
    /// </summary>
    private static bool[] HostileWarnings(CriterionModel model, MoveClassifier hear, RubricBasis? redLinesOf)
        => HostileByClassifier.GetOrCreateValue(hear).GetValue(model, m => m.Criterion.NegativeIndicators
            .Select((w, i) => hear.Classify(w, m.Negative[i]).HarmfulShare >= HostileWarningProbability
                || (redLinesOf is { RedLines.Count: > 0 } && !WarningPolarities(m)[i].Promises
                    && RedLineDetector.Detect(redLinesOf, new EncodedReply(w, m.Negative[i], [new EncodedClause(new(0, w.Length), w, m.Negative[i])])).Count > 0))
            .ToArray());

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MoveClassifier, System.Runtime.CompilerServices.ConditionalWeakTable<CriterionModel, bool[]>> HostileByClassifier = new();

    /// <summary>Each negative indicator's polarity and whether it promises, read once per criterion (a basis never changes).</summary>
    private static IReadOnlyList<Warning> WarningPolarities(CriterionModel model)
        => WarningPolaritiesByCriterion.GetValue(model, m => m.Criterion.NegativeIndicators
            .Select(w => new Warning(RedLineDetector.PolarityOf(w), Promise().IsMatch(w) && !DeclinesPromise().IsMatch(w))).ToList());

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CriterionModel, IReadOnlyList<Warning>> WarningPolaritiesByCriterion = new();

    private static (double Similarity, int Index) MaxSimilarity(float[] vector, IReadOnlyList<float[]> indicators, Func<int, bool>? counts = null)
    {
        double best = -1;
        var index = -1;
        for (var i = 0; i < indicators.Count; i++)
        {
            if (counts is not null && !counts(i)) continue;
            var similarity = VectorMath.Dot(vector, indicators[i]);
            if (similarity > best) (best, index) = (similarity, i);
        }
        return (best, index);
    }

}

/// <summary>
/// How much each signal counts. The defaults were chosen by leave-one-out agreement with the rated
/// exemplars of the scenario library (docs/evaluation.md); they are part of the engine version.
/// </summary>
/// <param name="IndicatorScale">Cosine margin that counts as one unit of indicator evidence.</param>
/// <param name="HarmfulMovePenalty">A harmful move costs every criterion, whether it names that move or not.</param>
/// <param name="Slope">Slope of the logistic from the combined signal to 0..100.</param>
public sealed record RubricWeights(double Indicator, double IndicatorScale, double Move, double Exemplar, double HarmfulMovePenalty, double Slope)
{
    public static readonly RubricWeights Default = new(Indicator: 1.0, IndicatorScale: 0.12, Move: 1.2, Exemplar: 0.0, HarmfulMovePenalty: 0.8, Slope: 1.1);
}
