namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// The stage of the conversation: a criterion that is not yet due (agreeing a plan in the first
/// reply) is shown as not yet due and left out of the overall score, rather than counted as failed,
/// unless the reply already earns it.
/// </summary>
public static class CriterionStage
{
    public const string NotYetDue = "not-yet-due";
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
        var counted = criteria.Where(c => !Waits(c)).Sum(c => c.Weight);
        return criteria.Select(c => Waits(c)
            ? c with
            {
                Weight = 0,
                Effect = NotYetDue,
                Evidence = null,
                EvidenceStart = -1,
                Explanation = $"Not due yet: \"{c.Name}\" comes later in this conversation (from your turn {dueFrom[c.Key]}), so it does not count in this reply's score.",
            }
            : c with { Weight = counted <= 0 ? 0 : Math.Round(rubricShare * c.Weight / counted, 4) }).ToList();
    }

    /// <summary>The trainee turn a reply is, when the caller does not say: one more than the teacher turns before it.</summary>
    public static int InferTurnNumber(IReadOnlyList<ContextTurn> context) => 1 + context.Count(t => t.Speaker == "teacher");
}
