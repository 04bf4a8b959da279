using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// The stage of the conversation: a criterion that is not yet due (agreeing a plan in the first
/// reply) is shown as not yet due and left out of the overall score, rather than counted as failed,
/// unless the reply already earns it; and one that an earlier reply already met is shown as done
/// earlier, not asked of every reply after it.
/// </summary>
public static class CriterionStage
{
    public const string NotYetDue = "not-yet-due";
    public const string MetEarlier = "met-earlier";
    /// <summary>An earlier reply met a criterion when it scored at least this on it, with its own words near a good indicator.</summary>
    public const int MetEarlierScore = 70;

    /// <summary>An earlier reply that met a criterion: its 1-based trainee turn and the words that did it.</summary>
    public sealed record EarlierCredit(int Turn, string Words);

    /// <summary>An earlier reply of the trainee's, with the classifier that hears its move (asked only when its credits are not yet known).</summary>
    public sealed record EarlierReply(int Turn, EncodedReply Reply, MoveClassifier Hear);
    /// <summary>A reply that already meets a criterion before it is due gets the credit.</summary>
    public const int EarnedEarlyScore = 60;

    /// <summary>
    /// Marks the rubric criteria (uptake not included) that are not yet due at this 1-based trainee
    /// turn, with weight 0, and shares <paramref name="rubricShare"/> among the criteria that count.
    /// </summary>
    public static List<CriterionJudgement> Apply(List<CriterionJudgement> criteria, IReadOnlyList<CriterionModel> models, int turnNumber, double rubricShare)
    {
        var dueFrom = models.ToDictionary(m => m.Criterion.Key, m => m.Criterion.DueFromTurn, StringComparer.Ordinal);
        bool Waits(CriterionJudgement c) => dueFrom.GetValueOrDefault(c.Key, 1) > turnNumber && c.Score < EarnedEarlyScore;
        if (!criteria.Any(Waits)) return criteria;
        return LeaveOut(criteria, c => Waits(c)
            ? $"Not due yet: \"{c.Name}\" comes later in this conversation (from your turn {dueFrom[c.Key]}), so it does not count in this reply's score."
            : null, NotYetDue, rubricShare);
    }

    /// <summary>
    /// Leaves out of the overall score (weight 0, with the effect and the reason given) the criteria that have a reason to be
    /// left out, and shares <paramref name="rubricShare"/> among the others in proportion to their weights.
    /// </summary>
    private static List<CriterionJudgement> LeaveOut(List<CriterionJudgement> criteria, Func<CriterionJudgement, string?> reasonLeftOut, string effect, double rubricShare)
    {
        var reasons = criteria.Select(reasonLeftOut).ToList();
        var counted = criteria.Where((_, i) => reasons[i] is null).Sum(c => c.Weight);
        return criteria.Select((c, i) => reasons[i] is { } why
            ? c with { Weight = 0, Effect = effect, Evidence = null, EvidenceStart = -1, Explanation = why }
            : c with { Weight = counted <= 0 ? 0 : Math.Round(rubricShare * c.Weight / counted, 4) }).ToList();
    }

    /// <summary>The trainee turn a reply is, when the caller does not say: one more than the teacher turns before it.</summary>
    public static int InferTurnNumber(IReadOnlyList<ContextTurn> context) => 1 + context.Count(t => t.Speaker == "teacher");

    /// <summary>
    /// Which criteria the trainee's earlier replies in the context already met, each with the latest reply that did. A reply
    /// heard as harmful meets nothing. Read as the rubric read it then, clause by clause.
    /// </summary>
    public static IReadOnlyDictionary<string, EarlierCredit> MetBefore(RubricBasis basis, IReadOnlyList<EarlierReply> earlier)
    {
        var met = new Dictionary<string, EarlierCredit>(StringComparer.Ordinal);
        foreach (var (turn, reply, hear) in earlier.OrderBy(e => e.Turn))
        {
            foreach (var (key, words) in Credits(basis, reply, hear)) met[key] = new(turn, words);
        }
        return met;
    }

    /// <summary>
    /// What one earlier reply met, worked out once per reply kept in the cache and basis: a practice session reads each
    /// reply again on the two turns after it.
    /// </summary>
    private static IReadOnlyList<(string Key, string Words)> Credits(RubricBasis basis, EncodedReply reply, MoveClassifier hear)
    {
        var memo = CreditsByReply.GetOrCreateValue(reply);
        lock (memo)
        {
            if (ReferenceEquals(memo.Basis, basis)) return memo.Credits;
            var move = hear.Hear(reply);
            var credits = new List<(string Key, string Words)>();
            if (!Moves.IsHarmful(move.Move))
            {
                var (signal, _) = RubricScorer.ExemplarSignal(reply.Vector, basis.Exemplars);
                var warningsReadBy = RubricScorer.KindReply(reply, move, hear) ? hear : null;
                foreach (var criterion in basis.Criteria)
                {
                    var score = RubricScorer.Score(criterion, reply, move, signal, rubric: basis.Criteria, warningsReadBy: warningsReadBy, redLinesOf: basis);
                    if (score.Score >= MetEarlierScore && score.Effect == "earned" && score.Evidence is { } words) credits.Add((criterion.Criterion.Key, words.Text));
                }
            }
            (memo.Basis, memo.Credits) = (basis, credits);
            return credits;
        }
    }

    private sealed class CreditMemo
    {
        public RubricBasis? Basis;
        public IReadOnlyList<(string Key, string Words)> Credits = [];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EncodedReply, CreditMemo> CreditsByReply = new();

    /// <summary>
    /// Leaves out of the overall score the criteria an earlier reply met and this one does not do again (below
    /// <see cref="EarnedEarlyScore"/>), shown as done earlier with the words that did it, and shares
    /// <paramref name="rubricShare"/> among the criteria that still count. "How about you write what you predicted, what
    /// happened, and what changed your mind?", at the end of a conversation that had credited and probed the boy's
    /// reasoning, scored 39 for not doing both again. Something must still be asked of the reply: when every due criterion
    /// was met earlier, all of them count.
    /// </summary>
    public static List<CriterionJudgement> ApplyMetEarlier(List<CriterionJudgement> criteria, IReadOnlyDictionary<string, EarlierCredit> met, double rubricShare)
    {
        bool Done(CriterionJudgement c) => c.Effect != NotYetDue && c.Score < EarnedEarlyScore && met.ContainsKey(c.Key);
        if (met.Count == 0 || !criteria.Any(Done)) return criteria;
        // Criteria not yet due already weigh nothing, and keep their own reason.
        if (criteria.Where(c => !Done(c)).Sum(c => c.Weight) <= 0) return criteria;
        return LeaveOut(criteria, c => Done(c)
            ? $"Done earlier: your turn {met[c.Key].Turn} did this (\u201C{Quote(met[c.Key].Words)}\u201D), so this reply is not asked to do it again and it does not count in this reply's score."
            : null, MetEarlier, rubricShare);
    }

    private static string Quote(string words) => words.Length <= 90 ? words.Trim() : words[..87].TrimEnd() + "...";
}
