
namespace TeacherTrainer.ApiService.Evaluation;


/// <summary>
/// One exemplar row returned by a pgvector query, reduced to what scoring needs:
/// its quality and the cosine similarity between the judged reply and this exemplar's response
/// (computed in SQL as <c>1 - (response_embedding &lt;=&gt; @reply)</c>, or with <see cref="VectorMath.Dot"/>).
/// </summary>
public readonly record struct ExemplarNeighbour(Guid Id, ExemplarQuality Quality, double ReplySimilarity);

public enum CollectionBand { NoviceLike, Mixed, ExpertLike, NoEvidence }

/// <summary>A judgement against an exemplar collection: 0..100 (higher = more expert-like), a band, and its parts.</summary>
public sealed record CollectionJudgement(
    double Score,
    CollectionBand Band,
    double ExpertVote,       // -1..1: similarity-weighted vote of the nearest responses (+1 all expert)
    double ContextContrast,  // mean similarity to experts minus to novices among similar contexts
    IReadOnlyList<ExemplarNeighbour> NearestExperts)
{
    /// <summary>How specifically the reply engages this conversation (the parts that stop a stock phrase riding on expert look-alikes).</summary>
    public CollectionEngagement Engagement { get; init; }
}

/// <summary>
/// How specifically a reply engages the conversation it answers: its embedding cosine to the context text
/// the collection query already encodes, the share of its content words found in the conversation, its length
/// and whether it asks something. A stock phrase ("Good job!") scores near zero on all of them.
/// </summary>
public readonly record struct CollectionEngagement(double ContextCosine, double ContextOverlap, double LogWords, bool Question, double SharedWords);

/// <summary>The neighbours' verdict (vote, contrast) and the reply's engagement with this conversation.</summary>
public readonly record struct CollectionParts(double Vote, double Contrast, CollectionEngagement Engagement, bool NoEvidence)
{
    /// <summary>The engagement features, in <see cref="CollectionScorer.Specificity"/> order.</summary>
    public static readonly string[] EngagementNames = ["context-cosine", "context-overlap", "log-words", "question", "shared-words"];

    public float[] EngagementFeatures() =>
        [(float)Engagement.ContextCosine, (float)Engagement.ContextOverlap, (float)Engagement.LogWords, Engagement.Question ? 1 : 0, (float)Engagement.SharedWords];
}

/// <summary>
/// Scores a reply against an imported exemplar collection (contexts with expert and novice replies).
/// Two pgvector queries feed it:
///   1. response query: the <see cref="ResponseNeighbourCount"/> rows whose response embedding is nearest the reply
///      (any context). Their similarity-weighted expert/novice vote says whether replies like this one were written
///      by experts or novices. This carries most of the accuracy.
///   2. context query: the rows of the <see cref="ContextNeighbourCount"/> contexts nearest the conversation
///      (embed the last two turns joined with a space; LIMIT 2 x ContextNeighbourCount rows since each context holds
///      an expert and a novice reply). Is the reply closer to what experts said in similar situations than to
///      what novices said?
/// The neighbours' verdict is then multiplied by the reply's <see cref="Specificity"/> (does it engage this moment at
/// all?), so a stock phrase cannot ride on resembling expert openers.
/// On the Bridge data (Wang et al. 2024) the expert rewrite outscores the novice reply in 68 of 71 validation items
/// (0.958; README baseline 0.87), and a stock reply beats the novice on at most 12 of 71 (was 70).
/// Pure arithmetic over the similarities: well under a microsecond per neighbour, no IO, deterministic.
/// </summary>
public static class CollectionScorer
{
    /// <summary>Rows taken from the response query (k of the response-neighbour vote).</summary>
    public const int ResponseNeighbourCount = 20;

    /// <summary>Contexts taken from the context query (each contributes its expert and its novice rows).</summary>
    public const int ContextNeighbourCount = 20;

    /// <summary>
    /// Softmax temperature on cosine similarity for the vote: weight = exp(similarity / T).
    /// 0.1 means a neighbour 0.1 more similar counts e (2.7) times as much: near-duplicates dominate,
    /// but a single look-alike cannot outvote a crowd of close matches.
    /// </summary>
    public const double VoteTemperature = 0.1;

    /// <summary>Weight of the context contrast (similarity units, typically -0.2..0.15) against the vote (-1..1).</summary>
    public const double ContrastWeight = 3.0;

    /// <summary>Slope of the logistic that maps the raw score to 0..100; raw 0 (no lean either way) maps to 50.</summary>
    public const double LogisticSlope = 2.5;

    /// <summary>Band limits on the 0..100 score.</summary>
    public const double ExpertLikeFrom = 65, NoviceLikeBelow = 35;

    /// <summary>How many expert exemplars to return for display.</summary>
    public const int ExpertsToShow = 3;

    /// <summary>
    /// How likely the reply is to be a real answer to this moment rather than a stock phrase that would fit any
    /// moment: a logistic model over the engagement features (bias first, then <see cref="CollectionParts.EngagementNames"/>).
    /// The collection score is the neighbours' verdict times this share, so a generic reply cannot ride on its
    /// resemblance to expert openers ("Good job!"), while two real replies keep the neighbours' order.
    /// </summary>
    public sealed record Specificity(double Bias, IReadOnlyList<double> Weights)
    {
        /// <summary>No gate: the neighbours' verdict alone (the rule before engagement was measured).</summary>
        public static readonly Specificity None = new(50, [0, 0, 0, 0, 0]);

        /// <summary>
        /// Fitted with ML.NET (L-BFGS logistic regression) on bridge-train: every expert and novice reply in its own
        /// context as positives, stock phrases written apart from the checked ones placed in the same contexts as
        /// negatives (TeacherTrainer.Benchmarks: <c>fit-collection</c>).
        /// </summary>
        public static readonly Specificity Fitted = new(FittedSpecificityBias, FittedSpecificityWeights);

        public double Share(CollectionParts parts)
        {
            var x = parts.EngagementFeatures();
            double raw = Bias;
            for (var i = 0; i < x.Length; i++) raw += Weights[i] * x[i];
            return 1 / (1 + Math.Exp(-raw));
        }
    }

    // fit-collection: 419 bridge-train items, 2 stock phrases per context. On bridge-validation (71, against the whole
    // train collection, overall with uptake): expert over novice 0.958 (unchanged), stock replies over the novice
    // "Good job!" 1, "Can you explain?" 12, "Great effort, let's keep going." 4, "That's not right." 0 (were 70, 70, 11, 19).
    // Length dominates (the gate's main cue), but only up to LengthCap words, so padding buys nothing beyond a sentence.
    public const double FittedSpecificityBias = -15.5;
    public static readonly double[] FittedSpecificityWeights = [5.718, 2.565, 8.53, -2.437, -0.585];

    /// <summary>Words beyond this add nothing to a reply's specificity.</summary>
    public const int LengthCap = 12;

    private static readonly System.Text.RegularExpressions.Regex QuestionMark = new(@"\?", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>Measures how specifically <paramref name="reply"/> engages <paramref name="context"/>; pure.</summary>
    public static CollectionEngagement Engagement(IReadOnlyList<ContextTurn> context, string reply, float[] replyVector, float[] contextVector)
    {
        var replyTokens = TextTokens.Tokenize(reply);
        var contextStems = context.SelectMany(t => TextTokens.Tokenize(t.Text)).Select(t => t.Stem).ToHashSet();
        var content = replyTokens.Where(t => t.IsContent).Select(t => t.Stem).Distinct().ToList();
        double overlap = content.Count == 0 ? 0 : content.Count(contextStems.Contains) / (double)content.Count;
        double cosine = replyVector.Length == contextVector.Length && !ReferenceEquals(replyVector, contextVector) ? VectorMath.Dot(replyVector, contextVector) : 0;
        // Length counts only up to a short sentence: padding must not buy specificity.
        return new CollectionEngagement(cosine, overlap, Math.Log(1 + Math.Min(replyTokens.Count, LengthCap)), QuestionMark.IsMatch(reply),
            Math.Log(1 + content.Count(contextStems.Contains)));
    }

    /// <summary>The vote and contrast of the neighbours, with the reply's engagement.</summary>
    public static CollectionParts Measure(IReadOnlyList<ExemplarNeighbour> responseNeighbours, IReadOnlyList<ExemplarNeighbour> contextNeighbours, CollectionEngagement engagement)
    {
        var nearest = Nearest(responseNeighbours);
        double vote = 0;
        if (nearest.Count > 0)
        {
            // Subtract the top similarity before exponentiating: same weights, no overflow.
            double top = nearest[0].ReplySimilarity, num = 0, den = 0;
            foreach (var n in nearest)
            {
                double w = Math.Exp((n.ReplySimilarity - top) / VoteTemperature);
                num += w * (n.Quality == ExemplarQuality.Expert ? 1 : -1);
                den += w;
            }
            vote = num / den;
        }

        // Contrast needs both qualities among the similar contexts; otherwise it says nothing.
        double contrast = 0;
        int nE = 0, nN = 0; double sE = 0, sN = 0;
        foreach (var n in contextNeighbours)
        {
            if (n.Quality == ExemplarQuality.Expert) { sE += n.ReplySimilarity; nE++; }
            else { sN += n.ReplySimilarity; nN++; }
        }
        if (nE > 0 && nN > 0) contrast = sE / nE - sN / nN;
        return new CollectionParts(vote, contrast, engagement, nearest.Count == 0 && (nE == 0 || nN == 0));
    }

    /// <summary>0..100 from the parts: the neighbours' verdict on a logistic scale, times the reply's specificity; 50 when the collection offers no evidence.</summary>
    public static double ScoreFrom(CollectionParts parts, Specificity specificity)
    {
        if (parts.NoEvidence) return 50;
        double verdict = 100 / (1 + Math.Exp(-LogisticSlope * (parts.Vote + ContrastWeight * parts.Contrast)));
        return verdict * specificity.Share(parts);
    }

    private static List<ExemplarNeighbour> Nearest(IReadOnlyList<ExemplarNeighbour> responseNeighbours)
        => responseNeighbours.OrderByDescending(n => n.ReplySimilarity).ThenBy(n => n.Id).Take(ResponseNeighbourCount).ToList();

    /// <param name="responseNeighbours">Rows nearest the reply by response embedding (any order, any count; the nearest <see cref="ResponseNeighbourCount"/> are used).</param>
    /// <param name="contextNeighbours">Rows of the contexts nearest the conversation, with the reply's similarity to each row's response.</param>
    /// <param name="engagement">How specifically the reply engages the conversation (<see cref="Engagement"/>).</param>
    public static CollectionJudgement Score(IReadOnlyList<ExemplarNeighbour> responseNeighbours, IReadOnlyList<ExemplarNeighbour> contextNeighbours,
        CollectionEngagement engagement, Specificity? specificity = null)
    {
        var parts = Measure(responseNeighbours, contextNeighbours, engagement);
        double score = ScoreFrom(parts, specificity ?? Specificity.Fitted);
        var band = parts.NoEvidence ? CollectionBand.NoEvidence
            : score >= ExpertLikeFrom ? CollectionBand.ExpertLike
            : score < NoviceLikeBelow ? CollectionBand.NoviceLike
            : CollectionBand.Mixed;

        var experts = Nearest(responseNeighbours).Concat(contextNeighbours)
            .Where(n => n.Quality == ExemplarQuality.Expert)
            .GroupBy(n => n.Id).Select(g => g.First())
            .OrderByDescending(n => n.ReplySimilarity).ThenBy(n => n.Id)
            .Take(ExpertsToShow).ToList();

        return new CollectionJudgement(score, band, parts.Vote, parts.Contrast, experts) { Engagement = engagement };
    }
}
