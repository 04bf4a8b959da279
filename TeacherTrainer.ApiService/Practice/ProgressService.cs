using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>A trainee's progress: skills over time, coverage of the library, and what to practise next.</summary>
public sealed class ProgressService(TeacherDbContext db, SkillMap skills, PracticeService practice)
{
    public const int RecentCount = 8;

    public async Task<ProgressView> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Status == SessionStatus.Completed)
            .Include(s => s.ScenarioVersion)
            .Include(s => s.Turns.Where(t => t.RetriedAt == null)).ThenInclude(t => t.CriterionScores)
            .AsSplitQuery()
            .OrderBy(s => s.EndedAt)
            .ToListAsync(cancellationToken);
        var all = await practice.ListAsync(userId, cancellationToken);

        var skillList = await skills.SkillsAsync();
        var points = skillList.ToDictionary(s => s.Key, _ => new List<SessionPoint>());
        var overall = new List<SessionPoint>();
        foreach (var session in sessions)
        {
            var title = session.ScenarioVersion!.Content.Title;
            var at = session.EndedAt ?? session.StartedAt;
            if (session.Turns.Count == 0) continue;
            overall.Add(new SessionPoint(session.Id, at, title, EffectiveScores.Session(session.Turns)!.Value));
            var descriptions = session.ScenarioVersion.Content.Rubric.ToDictionary(c => c.Key, c => c.Description);
            var bySkill = new Dictionary<string, List<int>>();
            foreach (var score in session.Turns.SelectMany(t => t.CriterionScores))
            {
                var skill = await skills.SkillOfAsync(score.CriterionKey, score.CriterionName, descriptions.GetValueOrDefault(score.CriterionKey, ""));
                (bySkill.TryGetValue(skill, out var list) ? list : bySkill[skill] = []).Add(EffectiveScores.Criterion(score));
            }
            foreach (var (skill, scores) in bySkill)
            {
                if (points.TryGetValue(skill, out var skillPoints)) skillPoints.Add(new SessionPoint(session.Id, at, title, (int)Math.Round(scores.Average())));
            }
        }

        var series = skillList.Select(s =>
        {
            var p = points[s.Key];
            int? latest = p.Count > 0 ? p[^1].Score : null;
            int? change = p.Count > 1 ? p[^1].Score - p[0].Score : null;
            return new SkillSeries(s.Key, s.Name, p, latest, change);
        }).ToList();

        var library = await db.Scenarios.AsNoTracking().Where(Scenarios.ScenarioAccess.InCatalog)
            .GroupBy(s => s.Category).Select(g => new { Category = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var categories = library.OrderBy(c => c.Category).Select(c =>
        {
            var inCategory = sessions.Where(s => s.ScenarioVersion!.Content.Category == c.Category).ToList();
            return new CategoryCoverage(c.Category, inCategory.Select(s => s.ScenarioId).Distinct().Count(), c.Count, inCategory.Count,
                inCategory.Count == 0 ? null : (int)Math.Round(inCategory.Average(s => s.OverallScore ?? 0)));
        }).ToList();

        var weakest = series.Where(s => s.Latest is not null).OrderBy(s => s.Points.TakeLast(3).Average(p => p.Score)).FirstOrDefault();
        PractiseNext? next = null;
        var lastSession = sessions.LastOrDefault();
        if (lastSession is not null)
        {
            var scenario = await db.Scenarios.AsNoTracking().SingleAsync(s => s.Id == lastSession.ScenarioId, cancellationToken);
            var suggestion = await SessionSummaries.SuggestNextAsync(db, userId, scenario, lastSession.OverallScore ?? 0, cancellationToken);
            next = weakest is null ? null : new PractiseNext(weakest.Key, weakest.Name, weakest.Latest, suggestion,
                $"{weakest.Name} is your lowest skill over your last sessions.");
        }
        var turns = sessions.Sum(s => s.TurnCount);
        var average = sessions.Count == 0 ? (int?)null : (int)Math.Round(sessions.Average(s => s.OverallScore ?? 0));
        return new ProgressView(new ProgressTotals(all.Count, sessions.Count, turns, average), series, overall, categories,
            all.Take(RecentCount).ToList(), next);
    }
}
