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
        // Retried turns are kept in the transcript but count for nothing here; every number is the effective one.
        var turns = EffectiveScores.Counted(session.Turns);
        var criteria = EffectiveScores.Criteria(turns)
            .Select(c => new SummaryCriterion(c.Key, c.Name, c.Score, EffectiveScores.Band(c.Score))).ToList();
        var turnScores = turns.Select(t => (Turn: t, Score: EffectiveScores.Turn(t))).ToList();
        var overall = EffectiveScores.Session(turns) ?? 0;

        WeakestTurn? weakest = null;
        if (turnScores.Count > 0)
        {
            var (turn, score) = turnScores.OrderBy(t => t.Score).ThenBy(t => t.Turn.Index).First();
            var expert = turn.Judgement.NearestExemplars.FirstOrDefault(e => e.Rating >= 4)
                ?? session.ScenarioVersion!.Content.Exemplars.Where(e => e.Rating >= 4)
                    .OrderByDescending(e => e.Rating).Select(e => new NearestExemplar(e.Text, ExemplarQuality.Strong, 0, e.Rating, e.Rationale)).FirstOrDefault();
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
        return new SessionSummary(overall, EffectiveScores.Band(overall), turns.Count, session.EndReason, criteria, weakest, prompt, next);
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
