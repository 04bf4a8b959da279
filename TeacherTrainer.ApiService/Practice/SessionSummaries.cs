using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// The end-of-session summary: per-criterion results (an instructor's override counts where there
/// is one), the weakest turn with what an expert might have said, a reflection prompt, and the
/// scenario to practise next.
/// </summary>
public static class SessionSummaries
{
    public static readonly string[] DifficultyOrder = ["introductory", "intermediate", "advanced"];

    public static async Task<SessionSummary> BuildAsync(TeacherDbContext db, PracticeSession session, Scenario scenario, CancellationToken cancellationToken)
    {
        // Retried turns are kept in the transcript but count for nothing here.
        var turns = session.Turns.Where(t => t.RetriedAt == null).OrderBy(t => t.Index).ToList();
        var criteria = turns.SelectMany(t => t.CriterionScores)
            .GroupBy(c => c.CriterionKey)
            .Select(g => new SummaryCriterion(g.Key, g.First().CriterionName, (int)Math.Round(g.Average(c => c.EffectiveScore)),
                JudgementBands.For((int)Math.Round(g.Average(c => c.EffectiveScore)))))
            .OrderBy(c => c.Score).ToList();
        var turnScores = turns.Select(t => (Turn: t, Score: EffectiveScore(t))).ToList();
        var overall = turnScores.Count == 0 ? 0 : (int)Math.Round(turnScores.Average(t => t.Score));

        WeakestTurn? weakest = null;
        if (turnScores.Count > 0)
        {
            var (turn, score) = turnScores.OrderBy(t => t.Score).ThenBy(t => t.Turn.Index).First();
            var expert = turn.Judgement.NearestExemplars.FirstOrDefault(e => e.Rating >= 4)
                ?? session.ScenarioVersion!.Content.Exemplars.Where(e => e.Rating >= 4)
                    .OrderByDescending(e => e.Rating).Select(e => new NearestExemplar(e.Text, "strong", 0, e.Rating, e.Rationale)).FirstOrDefault();
            weakest = new WeakestTurn(turn.Index, turn.TraineeText, turn.PersonaPrompt, score, turn.Judgement.Suggestion, expert?.Text, expert?.Rationale);
        }

        var content = session.ScenarioVersion!.Content;
        var weakestCriterion = criteria.FirstOrDefault();
        var prompt = weakest is null
            ? $"What would you want to say first if you met {content.Persona.Name} again?"
            : $"Look back at your reply in turn {weakest.Index + 1}. What did {content.Persona.Name} need to hear at that moment"
              + (weakestCriterion is null ? "" : $", and how could you have shown {weakestCriterion.Name.ToLowerInvariant()} there")
              + "? Write what you would say now.";

        var next = await SuggestNextAsync(db, session.UserId, scenario, overall, cancellationToken);
        return new SessionSummary(overall, JudgementBands.For(overall), turns.Count, session.EndReason, criteria, weakest, prompt, next);
    }

    /// <summary>A turn's score with overrides applied: the judgement's weighted mean over effective criterion scores.</summary>
    public static int EffectiveScore(SessionTurn turn)
    {
        if (turn.CriterionScores.All(c => c.OverrideScore is null)) return turn.Score;
        var weights = turn.Judgement.Criteria.ToDictionary(c => c.Key, c => c.Weight);
        double total = 0, weight = 0;
        foreach (var c in turn.CriterionScores)
        {
            var w = weights.GetValueOrDefault(c.CriterionKey);
            total += w * c.EffectiveScore;
            weight += w;
        }
        return weight <= 0 ? turn.Score : (int)Math.Round(total / weight);
    }

    /// <summary>
    /// Next: a harder scenario in the same category after a strong session, another at the same
    /// level after a weaker one, then any scenario in another category at the same grade band, always
    /// one the trainee has not finished yet.
    /// </summary>
    public static async Task<SuggestedScenario?> SuggestNextAsync(TeacherDbContext db, Guid userId, Scenario current, int overall, CancellationToken cancellationToken)
    {
        var done = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Status == SessionStatus.Completed)
            .Select(s => s.ScenarioId).Distinct().ToListAsync(cancellationToken);
        var open = await db.Scenarios.AsNoTracking().Where(ScenarioAccess.InCatalog)
            .Where(s => s.Id != current.Id && !done.Contains(s.Id))
            .Select(s => new { s.Slug, s.Title, s.Category, s.GradeBand, s.Difficulty })
            .ToListAsync(cancellationToken);
        var level = Array.IndexOf(DifficultyOrder, current.Difficulty);
        var strong = overall >= 60;
        var wanted = strong ? Math.Min(level + 1, DifficultyOrder.Length - 1) : level;

        var pick = open.Where(s => s.Category == current.Category && Array.IndexOf(DifficultyOrder, s.Difficulty) == wanted).OrderBy(s => s.Slug).FirstOrDefault();
        var why = strong
            ? $"You did well here: try {(DifficultyOrder[wanted] is "introductory" or "intermediate" or "advanced" ? "an" : "a")} {DifficultyOrder[wanted]} scenario in the same area."
            : "Practise the same skills again in another scenario of this kind.";
        if (pick is null)
        {
            pick = open.Where(s => s.Category == current.Category).OrderBy(s => Math.Abs(Array.IndexOf(DifficultyOrder, s.Difficulty) - wanted)).ThenBy(s => s.Slug).FirstOrDefault();
        }
        if (pick is null)
        {
            pick = open.Where(s => s.GradeBand == current.GradeBand).OrderBy(s => Math.Abs(Array.IndexOf(DifficultyOrder, s.Difficulty) - wanted)).ThenBy(s => s.Slug).FirstOrDefault()
                ?? open.OrderBy(s => s.Slug).FirstOrDefault();
            why = "Broaden your practice: a different kind of conversation at a similar level.";
        }
        return pick is null ? null : new SuggestedScenario(pick.Slug, pick.Title, pick.Category, pick.Difficulty, why);
    }
}
