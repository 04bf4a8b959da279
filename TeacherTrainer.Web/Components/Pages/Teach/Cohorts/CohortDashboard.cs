using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Components.Pages.Teach.Cohorts;

/// <summary>One trainee's average score on each criterion of a scenario (their latest completed session of it).</summary>
public sealed record TraineeCriteria(Guid TraineeId, string TraineeName, Guid SessionId, IReadOnlyDictionary<string, int> Scores);

/// <summary>The criteria of a scenario as judged in a cohort: the columns of the heatmap, and a row per trainee.</summary>
public sealed record CriterionHeatmap(IReadOnlyList<(string Key, string Name)> Criteria, IReadOnlyList<TraineeCriteria> Trainees);

/// <summary>Builds the cohort dashboard's views from the cohort's sessions and their reviews.</summary>
public static class CohortDashboard
{
    /// <summary>The latest completed session of <paramref name="scenarioSlug"/> for each trainee.</summary>
    public static IReadOnlyList<CohortSessionView> LatestCompleted(IEnumerable<CohortSessionView> sessions, string scenarioSlug)
        => sessions.Where(s => s.ScenarioSlug == scenarioSlug && s.Status == SessionStatuses.Completed && s.TurnCount > 0)
            .GroupBy(s => s.TraineeId)
            .Select(g => g.OrderByDescending(s => s.EndedAt ?? s.StartedAt).First())
            .OrderBy(s => s.TraineeName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

    /// <summary>Each trainee's average effective score (with instructors' overrides) on each criterion over the turns of their session.</summary>
    public static CriterionHeatmap Heatmap(IEnumerable<SessionReview> reviews)
    {
        var criteria = new List<(string Key, string Name)>();
        var rows = new List<TraineeCriteria>();
        foreach (var review in reviews)
        {
            var scores = review.Turns.SelectMany(t => t.Criteria)
                .GroupBy(c => c.Key)
                .ToDictionary(g => g.Key, g => (int)Math.Round(g.Average(c => c.EffectiveScore)));
            foreach (var criterion in review.Turns.SelectMany(t => t.Criteria))
            {
                if (!criteria.Any(c => c.Key == criterion.Key)) criteria.Add((criterion.Key, criterion.Name));
            }
            rows.Add(new TraineeCriteria(review.TraineeId, review.TraineeName, review.SessionId, scores));
        }
        // Uptake (present in every scenario) last; the scenario's own criteria first, in the order met.
        var ordered = criteria.OrderBy(c => c.Key == "uptake").ToList();
        return new CriterionHeatmap(ordered, rows);
    }
}
