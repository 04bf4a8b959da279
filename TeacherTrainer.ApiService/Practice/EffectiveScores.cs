using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// The one truth for every score a person sees: an instructor's override where there is one, the
/// engine's score otherwise, per criterion, per turn and per session. Every endpoint that shows a
/// score (the summary, My sessions, Progress, the cohort dashboard and its export, the review page)
/// takes it from here, so a trainee and their instructor never read two numbers for the same work.
/// <list type="bullet">
/// <item>Criterion: the override, else the engine's score.</item>
/// <item>Turn: the engine's overall while nothing on the turn is overridden (it may carry a red-line
/// cap); once something is, the weighted mean of the effective criterion scores with the weights the
/// engine used for that judgement.</item>
/// <item>Session: the mean of its counted turns (retried turns count for nothing), rounded. It is
/// stored on the session (<see cref="PracticeSession.OverallScore"/>) when the session ends and again
/// after every override, so lists read it without loading turns; <see cref="Refresh"/> is the only writer.</item>
/// <item>Bands always come from the effective score (<see cref="Band"/>).</item>
/// </list>
/// </summary>
public static class EffectiveScores
{
    public static int Criterion(TurnCriterionScore score) => score.EffectiveScore;

    public static int Turn(SessionTurn turn)
    {
        if (turn.CriterionScores.All(c => c.OverrideScore is null)) return turn.Score;
        var weights = turn.Judgement.Criteria.ToDictionary(c => c.Key, c => c.Weight);
        double total = 0, weight = 0;
        foreach (var c in turn.CriterionScores)
        {
            var w = weights.GetValueOrDefault(c.CriterionKey);
            total += w * Criterion(c);
            weight += w;
        }
        return weight <= 0 ? turn.Score : (int)Math.Round(total / weight);
    }

    /// <summary>The turns that count: not retried, in order.</summary>
    public static List<SessionTurn> Counted(IEnumerable<SessionTurn> turns)
        => turns.Where(t => t.RetriedAt == null).OrderBy(t => t.Index).ToList();

    /// <summary>The session's overall: the mean of its counted turns' effective scores; null without any.</summary>
    public static int? Session(IEnumerable<SessionTurn> turns)
    {
        var counted = Counted(turns);
        return counted.Count == 0 ? null : (int)Math.Round(counted.Average(Turn));
    }

    /// <summary>Each criterion's mean effective score over the counted turns, weakest first.</summary>
    public static List<EffectiveCriterion> Criteria(IEnumerable<SessionTurn> turns)
        => Counted(turns).SelectMany(t => t.CriterionScores)
            .GroupBy(c => c.CriterionKey)
            .Select(g => new EffectiveCriterion(g.Key, g.First().CriterionName, (int)Math.Round(g.Average(Criterion))))
            .OrderBy(c => c.Score).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToList();

    public static Band Band(int score) => JudgementBands.For(score);

    /// <summary>Stores the session's effective overall (after it ends, and after every override of a completed session).</summary>
    public static void Refresh(PracticeSession session)
    {
        if (session.Status == SessionStatus.Completed) session.OverallScore = Session(session.Turns);
    }

    /// <summary>
    /// The standing override of each criterion on a session's turns, with its reason and who set it (the
    /// latest audit row that set a score): both the trainee and the instructor see why a score changed.
    /// </summary>
    public static async Task<Dictionary<(Guid TurnId, string Key), OverrideNote>> OverrideNotesAsync(TeacherDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        var rows = await db.ScoreOverrideAudits.AsNoTracking().Where(a => a.SessionId == sessionId)
            .Join(db.Users, a => a.ChangedById, u => u.Id, (a, u) => new { a.TurnId, a.CriterionKey, a.NewScore, a.Reason, u.DisplayName, a.ChangedAt })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => (r.TurnId, r.CriterionKey))
            .Select(g => g.OrderBy(r => r.ChangedAt).Last())
            .Where(r => r.NewScore is not null)
            .ToDictionary(r => (r.TurnId, r.CriterionKey), r => new OverrideNote(r.Reason, r.DisplayName, r.ChangedAt));
    }
}

public sealed record EffectiveCriterion(string Key, string Name, int Score);

/// <summary>Why a score was changed, by whom and when.</summary>
public sealed record OverrideNote(string Reason, string ByName, DateTimeOffset At);
